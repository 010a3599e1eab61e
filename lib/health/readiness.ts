// Readiness: every dependency answers within a short deadline. Details of failures go to the
// log, not to the (unauthenticated) response.
import type { Logger } from "pino";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
  /** Reported but not required: the instance serves its machine lane without it (the portal). */
  optional?: boolean;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { status: "ok" | "down"; latencyMs: number }>;
}

export async function checkReadiness(checks: ReadinessCheck[], log: Logger, timeoutMs = 2_000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { status: "ok" as const, latencyMs: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        // an optional part that is not up yet (the portal starting) is not worth a warning per probe
        const optional = checks.find((c) => c.name === name)?.optional;
        (optional ? log.debug.bind(log) : log.warn.bind(log))({ check: name, err: error }, "readiness check failed");
        return [name, { status: "down" as const, latencyMs: Math.round(performance.now() - started) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const required = (name: string) => !checks.find((c) => c.name === name)?.optional;
  return { ready: results.every(([name, r]) => r.status === "ok" || !required(name)), checks: Object.fromEntries(results) };
}
