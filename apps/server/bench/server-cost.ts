/**
 * What one message costs inside the server process itself: CPU milliseconds and SQL
 * statements per message, read from the benchmarked process by cost-probe.mjs (loaded with
 * `node --import`). Both sides of bench-chat.ts carry the probe, so the figures compare.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./cost-probe.mjs', import.meta.url));

/** What a process has spent so far. */
export interface CostReading {
  cpuMs: number;
  statements: number;
}

/** Per message, over one phase. */
export interface MessageCost {
  cpuMsPerMessage: number;
  statementsPerMessage: number;
  /** This process's own CPU (the load generator and the fake model): it shares the machine. */
  driverCpuMsPerMessage: number;
}

/** Node flags and environment that load the probe into a process; `file` is where it answers. */
export function probeLaunch(dir: string, name: string): { nodeArgs: string[]; env: Record<string, string>; file: string } {
  const file = join(dir, `${name}.probe.json`);
  return { nodeArgs: ['--import', PROBE], env: { BENCH_PROBE_FILE: file }, file };
}

/** Asks the process (SIGUSR2) for its CPU time and statement count so far. */
export async function readCost(pid: number, file: string): Promise<CostReading> {
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq : 0;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 5_000;
  for (;;) {
    if (existsSync(file)) {
      try {
        const reading = JSON.parse(readFileSync(file, 'utf8')) as CostReading & { seq: number };
        if (reading.seq > before) return { cpuMs: reading.cpuMs, statements: reading.statements };
      } catch {
        // caught the file mid-write: read again
      }
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} did not answer the cost probe`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** This process's CPU time so far, in milliseconds. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function costPerMessage(
  start: CostReading & { driverCpuMs: number },
  end: CostReading & { driverCpuMs: number },
  messages: number,
): MessageCost {
  const per = (value: number) => (messages ? value / messages : NaN);
  return {
    cpuMsPerMessage: per(end.cpuMs - start.cpuMs),
    statementsPerMessage: per(end.statements - start.statements),
    driverCpuMsPerMessage: per(end.driverCpuMs - start.driverCpuMs),
  };
}
