// Secret rotation under load. An app's secret is rotated the way the portal does
// it (lib/portal/credentials.ts): a second credential is added, clients move to it during the
// overlap window while the old one still works, then the old one is revoked. Meanwhile a steady
// load of token requests and gateway calls runs — on one instance (SQLite), and on two
// instances sharing PostgreSQL + Redis when TEST_DATABASE_URL/TEST_REDIS_URL are set (the
// credential is added and revoked through one, the load is spread over both).
// Pass: not one 401 (nor any other failure) from the start of the load to the revocation — old
// and new credentials and the tokens issued to either all work during the overlap — and after
// the revocation only requests made with the old credential or its tokens are refused, on every
// instance within 1 s, while the new credential's traffic carries on untouched.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OVERLAP_MS = 3_000;

interface Credential {
  id: string;
  clientId: string;
  clientSecret: string;
}

for (const backend of configuredBackends()) {
  describe(`secret rotation under load (${backend.name})`, () => {
    const instances: RunningGatehouse[] = [];
    let cleanup: () => Promise<void>;
    let developer: Caller;

    beforeAll(async () => {
      const provisioned = await backend.provision();
      cleanup = provisioned.cleanup;
      const env = { ...provisioned.env, ENCRYPTION_KEY: randomBytes(32).toString("base64"), GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1" };
      instances.push(await startGatehouse(env));
      if (backend.name === "postgres+redis") instances.push(await startGatehouse(env));
      ({ developer } = await seededSessions(instances[0]!));
    }, 180_000);
    afterAll(async () => {
      for (const instance of instances) await instance.stop();
      await cleanup?.();
    });

    it("no 401 during the overlap window; after revoking the old credential only its own traffic is refused", async () => {
      const api = apiCaller(instances[0]!);
      const created = await api(developer, "POST", "/apps", { name: `rotation-${backend.name}`, products: ["echo"] });
      expect(created.status, created.text).toBe(201);
      const appId = created.json.app.id as string;
      const old: Credential = created.json.credential;

      type Outcome = { at: number; credential: "old" | "new"; kind: "token" | "gateway"; status: number };
      const outcomes: Outcome[] = [];
      const errors: string[] = [];
      let fresh: Credential | null = null;
      let running = true;
      let revokedAt = Infinity;

      const tokenFor = async (instance: RunningGatehouse, c: Credential, label: "old" | "new") => {
        const res = await fetch(`${instance.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}` },
          body: "grant_type=client_credentials&scope=echo:read",
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json()) as { access_token?: string };
        outcomes.push({ at: Date.now(), credential: label, kind: "token", status: res.status });
        return body.access_token ?? null;
      };
      const call = async (instance: RunningGatehouse, token: string, label: "old" | "new") => {
        const res = await fetch(`${instance.url}/gateway/echo/v1/rotation`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        outcomes.push({ at: Date.now(), credential: label, kind: "gateway", status: res.status });
      };

      // Workers 0–1 move to the new credential as soon as it exists ("early" clients); workers
      // 2–3 stay on the old one until the end of the overlap window ("late" clients). Each
      // fetches a token, then makes gateway calls with it, then fetches another.
      let lateSwitch = false;
      const worker = async (i: number) => {
        let n = 0;
        while (running) {
          const early = i < 2;
          const useNew = fresh !== null && (early || lateSwitch);
          const label = useNew ? "new" : "old";
          const instance = instances[n++ % instances.length]!;
          try {
            const token = await tokenFor(instance, useNew ? fresh! : old, label);
            for (let k = 0; token && k < 5 && running; k++) {
              await call(instances[(n + k) % instances.length]!, token, label);
              await sleep(10);
            }
          } catch (error) {
            errors.push(String(error));
          }
          await sleep(10);
        }
      };
      // plus a long-lived old-credential token used throughout (an app that has not refreshed yet)
      const longLived = (await tokenFor(instances[0]!, old, "old"))!;
      const holder = (async () => {
        let n = 0;
        while (running) {
          await call(instances[n++ % instances.length]!, longLived, "old").catch((e) => errors.push(String(e)));
          await sleep(20);
        }
      })();
      const workers = Promise.all([0, 1, 2, 3].map(worker));

      await sleep(1_500); // steady state on the old credential
      const rotatedAt = Date.now();
      const added = await api(developer, "POST", `/apps/${appId}/credentials`);
      expect(added.status, added.text).toBe(201);
      fresh = added.json as Credential;
      await sleep(OVERLAP_MS); // the overlap: both credentials live, clients moving over
      lateSwitch = true;
      await sleep(500);
      // the revocation takes effect somewhere between sending the DELETE and getting its answer
      const revokeSentAt = Date.now();
      const revoked = await api(developer, "DELETE", `/apps/${appId}/credentials/${old.id}`);
      expect(revoked.status, revoked.text).toBe(200);
      revokedAt = Date.now();
      await sleep(2_000);
      running = false;
      await Promise.all([workers, holder]);

      const before = outcomes.filter((o) => o.at < revokeSentAt);
      const during = outcomes.filter((o) => o.at >= revokeSentAt && o.at < revokedAt);
      const after = outcomes.filter((o) => o.at >= revokedAt);
      const inOverlap = before.filter((o) => o.at >= rotatedAt);
      const summary = {
        instances: instances.length,
        total: outcomes.length,
        beforeRevocation: { calls: before.length, non200: before.filter((o) => o.status !== 200).length },
        overlap: {
          old: inOverlap.filter((o) => o.credential === "old").length,
          new: inOverlap.filter((o) => o.credential === "new").length,
          status401: inOverlap.filter((o) => o.status === 401).length,
        },
        afterRevocation: {
          new: after.filter((o) => o.credential === "new").length,
          newNon200: after.filter((o) => o.credential === "new" && o.status !== 200).length,
          old: after.filter((o) => o.credential === "old").length,
          oldAccepted: after.filter((o) => o.credential === "old" && o.status === 200).map((o) => o.at - revokedAt),
        },
      };
      console.log(`${backend.name}:`, JSON.stringify(summary));

      expect(errors).toEqual([]);
      // the overlap carried real traffic on both credentials, token requests and gateway calls
      expect(inOverlap.filter((o) => o.credential === "old" && o.kind === "token").length).toBeGreaterThan(3);
      expect(inOverlap.filter((o) => o.credential === "new" && o.kind === "token").length).toBeGreaterThan(3);
      expect(inOverlap.filter((o) => o.credential === "new" && o.kind === "gateway").length).toBeGreaterThan(10);
      // no 401 spike — no failure at all — until the old credential is revoked
      expect(
        before.filter((o) => o.status !== 200),
        JSON.stringify(before.filter((o) => o.status !== 200).slice(0, 5)),
      ).toEqual([]);
      // while the DELETE is under way the old credential may already be refused, the new one never
      expect(
        during.every((o) => (o.credential === "new" ? o.status === 200 : o.status === 200 || o.status === 401)),
        JSON.stringify(during),
      ).toBe(true);
      // afterwards the new credential's traffic is untouched
      expect(summary.afterRevocation.new).toBeGreaterThan(10);
      expect(summary.afterRevocation.newNon200).toBe(0);
      // and the old credential and its tokens are refused everywhere within 1 s (in-flight
      // requests that started just before the revocation may still have been answered 200)
      expect(after.filter((o) => o.credential === "old").every((o) => (o.status === 200 ? o.at - revokedAt < 1_000 : o.status === 401))).toBe(true);
      expect(after.filter((o) => o.credential === "old" && o.at - revokedAt >= 1_000).length).toBeGreaterThan(5);
    }, 60_000);
  });
}
