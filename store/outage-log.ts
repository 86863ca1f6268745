/**
 * A log for what repeats while a dependency is down: the first line of an outage is written,
 * then nothing (whatever the later errors say) until `quietMs` have passed (a reminder that it
 * still is), and `recovered()` writes one line when it is back and re-arms for the next outage.
 * Not a stack per attempt.
 */
export interface OutageLog {
  (line: string): void;
  /** The dependency answers again: say so once, if an outage was reported. */
  recovered(line: string): void;
}

export function outageLog(log: (line: string) => void, quietMs = 60_000): OutageLog {
  let at = 0;
  let down = false;
  const write = (line: string) => {
    const now = Date.now();
    if (down && now - at < quietMs) return;
    at = now;
    down = true;
    log(line);
  };
  return Object.assign(write, {
    recovered(line: string) {
      if (!down) return;
      down = false;
      log(line);
    },
  });
}
