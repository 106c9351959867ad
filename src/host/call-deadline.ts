// One rule for every call a host client makes with a deadline (Greet, reflection, dynamic
// calls): a go-plugin server enforces the deadline too and resets the stream when it
// passes, which can reach grpc-js as CANCELLED before its own timer fires.
import { Status } from './grpc-status';

/** How early a plugin's own deadline cancel may arrive and still be our deadline (clock granularity). */
const DEADLINE_SLACK_MS = 5;

/** True when a CANCELLED status the caller did not ask for is really the call's deadline. */
export function isDeadlineCancel(code: number, deadline: number, callerSignal?: AbortSignal): boolean {
  return code === Status.CANCELLED && !callerSignal?.aborted && Date.now() >= deadline - DEADLINE_SLACK_MS;
}
