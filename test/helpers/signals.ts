// Records every signal this process sends while fn runs (the signals are still sent):
// how tests prove the host signals nothing it does not own.

export type SentSignal = [pid: number, signal: string | number | undefined];

export async function recordingSignals<T>(fn: () => Promise<T>): Promise<{ result: T; sent: SentSignal[] }> {
  const sent: SentSignal[] = [];
  const realKill = process.kill;
  process.kill = ((pid: number, signal?: string | number) => {
    // Signal 0 only probes whether a pid exists.
    if (signal !== 0) sent.push([pid, signal]);
    return realKill.call(process, pid, signal);
  }) as typeof process.kill;
  try {
    return { result: await fn(), sent };
  } finally {
    process.kill = realKill;
  }
}
