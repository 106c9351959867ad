// The driver's handle on one benchmark peer process (ours or go-plugin's): send a
// request line, await its answer line. A peer answers strictly in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { PeerAnswer, PeerRequest } from './protocol';

/** A long-lived host process speaking bench/protocol.ts over its stdin and stdout. */
export class Peer {
  private readonly child: ChildProcess;
  private readonly pending: { resolve(line: string): void; reject(e: Error): void }[] = [];
  private readonly stderrTail: string[] = [];
  /** Why the peer is gone, once it is. */
  private exitReason?: Error;
  private readonly exitedPromise: Promise<void>;

  constructor(readonly label: string, command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.pending.shift()?.resolve(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    this.exitedPromise = new Promise((resolve) => {
      const gone = (why: Error) => {
        this.exitReason = why;
        for (const p of this.pending.splice(0)) p.reject(why);
        resolve();
      };
      this.child.once('exit', (code, signal) => gone(new Error(`${label} peer exited (${signal ?? `code ${code}`}): ${this.stderrTail.join('\n')}`)));
      // Spawn failures (e.g. the peer was not built) arrive here, with no 'exit' after them.
      this.child.once('error', (e) => {
        if (this.child.pid === undefined) gone(new Error(`${label} peer could not start (${command}): ${e.message}`));
      });
      this.child.stdin!.on('error', () => undefined); // a dead peer's stdin; the exit above reports it
    });
  }

  /** Sends one request; rejects with the peer's own error text when it fails. */
  async request<T extends object>(req: PeerRequest): Promise<T> {
    if (this.exitReason) throw this.exitReason;
    const line = await new Promise<string>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin!.write(JSON.stringify(req) + '\n');
    });
    const answer = JSON.parse(line) as PeerAnswer<T>;
    if (!answer.ok) throw new Error(`${this.label} ${req.op}: ${answer.error}`);
    return answer;
  }

  /** Asks the peer to quit, and kills it if it does not within 10 s. */
  async close(): Promise<void> {
    if (this.exitReason) return;
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    try {
      await this.request({ op: 'quit' });
    } catch {
      // It exited already; the exit promise settles below.
    }
    this.child.stdin!.end();
    await this.exitedPromise;
    clearTimeout(killer);
  }
}
