/** Ways to make one endpoint misbehave; each counts down and then the endpoint recovers. */
export interface Fault {
  /** The next `times` requests answer `status` with a Status object (500, 429, 403, …). */
  fail?: { status: number; times: number; retryAfterSeconds?: number };
  /**
   * The next `times` requests answer after `ms`: before the status line, or with
   * `midBody` after sending headers and half the body, as a stalled connection does.
   */
  delay?: { ms: number; times: number; midBody?: boolean };
  /** The next `times` requests have their connection dropped without an answer. */
  reset?: number;
  /** The next `times` requests carrying a continue token answer 410 Gone, as after etcd compaction. */
  expireContinue?: number;
}

/** What to do with one request, taken from the fault plan (counting it down). */
export interface FaultAction {
  fail?: { status: number; retryAfterSeconds?: number };
  delay?: { ms: number; midBody: boolean };
  reset: boolean;
  expire: boolean;
}

export function takeFault(fault: Fault | undefined, hasContinue: boolean): FaultAction {
  const action: FaultAction = { reset: false, expire: false };
  if (!fault) return action;
  if (fault.reset && fault.reset > 0) {
    fault.reset--;
    action.reset = true;
  }
  if (fault.fail && fault.fail.times > 0) {
    fault.fail.times--;
    action.fail = { status: fault.fail.status, retryAfterSeconds: fault.fail.retryAfterSeconds };
  }
  if (fault.delay && fault.delay.times > 0) {
    fault.delay.times--;
    action.delay = { ms: fault.delay.ms, midBody: fault.delay.midBody ?? false };
  }
  if (hasContinue && fault.expireContinue && fault.expireContinue > 0) {
    fault.expireContinue--;
    action.expire = true;
  }
  return action;
}
