/** A bad environment variable; the message is one line naming it. Apart from env.ts so that reporting it loads no parser. */
export class ConfigError extends Error {}
