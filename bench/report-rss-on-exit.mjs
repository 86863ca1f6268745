// Preloaded into the CLI where /usr/bin/time is missing (node --import): reports the process's
// own peak RSS on exit, since Node cannot read a child's resource usage.
process.on('exit', () =>
  process.stderr.write(`\nMaximum resident set size (kbytes): ${process.resourceUsage().maxRSS}\n`),
);
