// A tiny sequential test runner for code that must run inside VS Code's extension host,
// where neither `node --test` nor mocha is available. Prints TAP-like lines and the plain
// "N passed, N failed" closing line; rejects when anything failed.

type TestFn = () => Promise<void> | void;
const tests: { name: string; fn: TestFn; timeoutMs: number }[] = [];

/** Registers a test; they run in the order registered. */
export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  tests.push({ name, fn, timeoutMs });
}

/** Runs every registered test; rejects when one failed. */
export async function runAll(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [i, t] of tests.entries()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs))),
      ]);
      passed++;
      console.log(`ok ${i + 1} - ${t.name}`);
    } catch (err) {
      failed++;
      console.log(`not ok ${i + 1} - ${t.name}\n  ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${tests.length} tests failed`);
}
