import { field } from "@/lib/api/form-route";

/** A number field; absent or blank: undefined (the setting's default), otherwise the number (NaN is refused by the schema). */
const num = (form: FormData, name: string): number | undefined => {
  const value = field(form, name).trim();
  return value === "" ? undefined : Number(value);
};

/** Drops the keys left undefined, so that the schema's defaults apply. */
const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The upstream form's fields as the API's `upstream` (a section is on when its box is ticked). */
export function upstreamFromForm(form: FormData) {
  const urls = form.getAll("targetUrl").map((v) => (typeof v === "string" ? v.trim() : ""));
  const weights = form.getAll("targetWeight").map((v) => (typeof v === "string" ? v.trim() : ""));
  const targets = urls.flatMap((url, i) => (url ? [defined({ url, weight: weights[i] ? Number(weights[i]) : undefined })] : []));
  const algorithm = field(form, "algorithm") || "round-robin";
  const hashKind = field(form, "hashOn");
  const hashOn = hashKind === "header" ? { header: field(form, "hashHeader").trim() } : hashKind === "claim" ? { claim: field(form, "hashClaim") } : undefined;
  const on = (name: string) => form.get(name) === "on";
  const expect = field(form, "activeExpectStatus")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const active = on("activeOn")
    ? defined({
        path: field(form, "activePath").trim() || undefined,
        intervalMs: num(form, "activeIntervalMs"),
        timeoutMs: num(form, "activeTimeoutMs"),
        healthyThreshold: num(form, "activeHealthyThreshold"),
        unhealthyThreshold: num(form, "activeUnhealthyThreshold"),
        expectStatus: expect.length ? expect : undefined,
      })
    : undefined;
  const passive = on("passiveOn")
    ? defined({ unhealthyFailures: num(form, "passiveFailures"), unhealthyTimeouts: num(form, "passiveTimeouts"), cooldownMs: num(form, "passiveCooldownMs") })
    : undefined;
  return defined({
    targets: targets.length ? targets : undefined,
    algorithm,
    hashOn: algorithm === "consistent-hash" ? hashOn : undefined,
    healthCheck: active || passive ? defined({ active, passive }) : undefined,
    circuitBreaker: on("circuitOn")
      ? defined({ failureThreshold: num(form, "circuitFailures"), openMs: num(form, "circuitOpenMs"), halfOpenProbes: num(form, "circuitProbes") })
      : undefined,
    retries: on("retriesOn")
      ? defined({ attempts: num(form, "retryAttempts"), budgetPercent: num(form, "retryBudgetPercent"), perTryTimeoutMs: num(form, "retryPerTryMs") })
      : undefined,
  });
}
