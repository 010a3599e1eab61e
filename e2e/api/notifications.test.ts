// Notifications end to end: events written to the outbox (recordEvent, as the changes that
// report them do) reach people by email — over a real SMTP conversation with the embedded mail
// catcher, read back at /dev/mail —, in the portal's list, and as signed webhooks a test
// receiver verifies with its own HMAC code; retries with backoff, giving up, replay, test
// events; nobody reads or replays another developer's. Then two instances on PostgreSQL and
// Redis: each event delivered once, and a restart mid-delivery loses nothing.
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, closeDatabaseClient, type Database } from "../../lib/db/client.ts";
import { recordEvent } from "../../lib/notifications/outbox.ts";
import { listMail } from "../../lib/notifications/mailbox.ts";
import { postgresRedisBackend } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "../harness/webhook-receiver.ts";

const FAST = {
  NOTIFICATIONS_POLL_INTERVAL_MS: "150",
  NOTIFICATIONS_RETRY_BASE_MS: "400",
  NOTIFICATIONS_MAX_ATTEMPTS: "3",
  NOTIFICATIONS_SEND_TIMEOUT_MS: "3000",
  GATEWAY_ALLOWED_PRIVATE_TARGETS: "127.0.0.1",
};

async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The receiver's own Standard Webhooks check: HMAC-SHA256 of id.timestamp.body under the base64 key after whsec_. */
function signatureValid(secret: string, hook: ReceivedWebhook): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${hook.headers["webhook-id"]}.${hook.headers["webhook-timestamp"]}.${hook.body}`).digest("base64");
  return String(hook.headers["webhook-signature"]).split(" ").includes(`v1,${expected}`);
}

describe("notifications on one instance (SQLite, embedded mail catcher)", () => {
  let gatehouse: RunningGatehouse;
  let db: Database;
  let receiver: WebhookReceiver;
  let call: ReturnType<typeof apiCaller>;
  let developer: Caller, other: Caller;
  let me: { id: string; email: string };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gatehouse = await startGatehouse(FAST);
    db = createDatabaseClient({ kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
    call = apiCaller(gatehouse);
    const sessions = await seededSessions(gatehouse);
    developer = sessions.developer;
    other = sessions.admin; // another account: an admin is a developer too, with apps and webhooks of their own
    me = (await call(developer, "GET", "/me")).json;
  }, 120_000);
  afterAll(async () => {
    if (db) await closeDatabaseClient(db);
    await gatehouse?.stop();
    await receiver?.close();
  });

  const mailDir = () => join(gatehouse.dataDir, "mail");
  const caughtMail = () =>
    readdirSync(mailDir(), { withFileTypes: true })
      .filter((e) => e.name.endsWith(".json"))
      .map((e) => JSON.parse(readFileSync(join(mailDir(), e.name), "utf8")));

  it("emails the developer over SMTP: the catcher receives it with the right recipient, subject and body, and /dev/mail shows it", async () => {
    const tag = randomBytes(3).toString("hex");
    await recordEvent(db, { type: "subscription.approved", developerId: me.id, payload: { appId: `app-${tag}`, appName: `Weather <${tag}>`, productName: "Forecasts" } });
    const [mail] = await eventually(
      () => (safeList(caughtMail) as Array<Record<string, any>>).filter((m) => m.subject.includes(tag)), // eslint-disable-line @typescript-eslint/no-explicit-any
      (list) => list.length === 1,
    );
    expect(mail!.envelope.to).toEqual([me.email.toLowerCase()]);
    expect(mail!.to).toContain(me.email.toLowerCase());
    expect(mail!.subject).toBe(`Forecasts approved for Weather <${tag}>`);
    expect(mail!.text).toContain(`Weather <${tag}> may now call Forecasts.`);
    expect(mail!.text).toContain(`${gatehouse.url}/apps/app-${tag}`);
    expect(mail!.html).toContain(`Weather &lt;${tag}&gt;`);
    expect(mail!.messageId).toMatch(/^<[a-z0-9]+@127\.0\.0\.1>$/);

    const inbox = await fetch(`${gatehouse.url}/dev/mail`);
    expect(inbox.status).toBe(200);
    const listing = await inbox.text();
    expect(listing).toContain(`/dev/mail/${mail!.id}`);
    const page = await (await fetch(`${gatehouse.url}/dev/mail/${mail!.id}`)).text();
    expect(page).toContain(`<a href="${gatehouse.url}/apps/app-${tag}"`);
    expect(page).toContain("sandbox");
    expect((await fetch(`${gatehouse.url}/dev/mail/0000000000000-000000000000`)).status).toBe(404);

    // the same event in the portal's list
    const list = (await call(developer, "GET", "/notifications")).json;
    const entry = list.items.find((n: { title: string }) => n.title.includes(tag));
    expect(entry).toMatchObject({ type: "subscription.approved", readAt: null, link: `${gatehouse.url}/apps/app-${tag}` });
    expect(list.unread).toBeGreaterThanOrEqual(1);
  });

  it("mails a team invitation to an address without an account, with its accept link", async () => {
    const acceptUrl = `${gatehouse.url}/teams/invitations/${randomBytes(8).toString("hex")}`;
    await recordEvent(db, { type: "team.invitation", email: "newcomer@example.com", payload: { teamName: "Platform", inviterName: "Dana", role: "admin", acceptUrl } });
    const [mail] = await eventually(
      () => (safeList(caughtMail) as Array<Record<string, any>>).filter((m) => m.text.includes(acceptUrl)), // eslint-disable-line @typescript-eslint/no-explicit-any
      (list) => list.length === 1,
    );
    expect(mail!.envelope.to).toEqual(["newcomer@example.com"]);
    expect(mail!.subject).toBe("You are invited to join Platform on Gatehouse");
    expect(mail!.html).toContain(`<a href="${acceptUrl}">Accept the invitation</a>`);
  });

  it("marks notifications read, one or all, and only the caller's own", async () => {
    const mine = (await call(developer, "GET", "/notifications")).json;
    const first = mine.items[0];
    expect((await call(other, "POST", "/notifications", { ids: [first.id] })).json.marked).toBe(0);
    expect((await call(other, "GET", "/notifications")).json.items.some((n: { id: string }) => n.id === first.id)).toBe(false);
    const marked = await call(developer, "POST", "/notifications", { ids: [first.id] });
    expect(marked.status).toBe(200);
    expect(marked.json).toMatchObject({ marked: 1, unread: mine.unread - 1 });
    expect((await call(developer, "POST", "/notifications", { all: true })).json.unread).toBe(0);
    expect((await call(developer, "POST", "/notifications", { nothing: 1 })).status).toBe(400);
    expect((await call(null, "GET", "/notifications")).status).toBe(401);
  });

  it("refuses webhook URLs the SSRF guard refuses, and plain http to public hosts", async () => {
    for (const url of ["http://example.com/hook", "https://169.254.169.254/latest", "https://10.0.0.1/x", "ftp://example.com/", "not a url", "https://user:pw@example.com/"]) {
      const answer = await call(developer, "POST", "/webhooks", { url });
      expect(answer.status, url).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await call(developer, "POST", "/webhooks", { url: "https://example.com/hook", events: ["no.such.event"] })).status).toBe(400);
  });

  it("delivers a signed webhook the receiver verifies, only of the types the endpoint asked for", async () => {
    receiver.answer("/ok", () => ({ status: 204 }));
    const created = await call(developer, "POST", "/webhooks", { url: `${receiver.url}/ok`, events: ["app.revoked", "credential.revoked"] });
    expect(created.status).toBe(201);
    const endpoint = created.json;
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await call(developer, "GET", `/webhooks/${endpoint.id}`)).json.secret).toBe(endpoint.secret);

    await recordEvent(db, { type: "subscription.approved", developerId: me.id, payload: { appName: "not wanted" } });
    await recordEvent(db, { type: "app.revoked", developerId: me.id, payload: { appId: "a1", appName: "Weather", reason: "abuse" } });
    const [hook] = await eventually(
      () => receiver.on("/ok"),
      (list) => list.length >= 1,
    );
    expect(signatureValid(endpoint.secret, hook!)).toBe(true);
    expect(Math.abs(Number(hook!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    const body = JSON.parse(hook!.body);
    expect(body).toMatchObject({ type: "app.revoked", data: { appId: "a1", appName: "Weather", reason: "abuse" } });
    expect(body.id).toBeTruthy();
    expect(new Date(body.createdAt).toString()).not.toBe("Invalid Date");

    const log = await eventually(
      async () => (await call(developer, "GET", `/webhooks/${endpoint.id}/deliveries`)).json.items,
      (items) => items[0]?.status === "sent",
    );
    expect(log).toHaveLength(1); // subscription.approved was not wanted
    expect(log[0]).toMatchObject({ type: "app.revoked", status: "sent", attempts: 1, responseStatus: 204, webhookId: hook!.headers["webhook-id"] });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.on("/ok")).toHaveLength(1);
  });

  it("retries after a 500 with backoff, with the same webhook-id, until it succeeds", async () => {
    receiver.answer("/flaky", (seen) => ({ status: seen === 0 ? 500 : 200 }));
    const endpoint = (await call(developer, "POST", "/webhooks", { url: `${receiver.url}/flaky` })).json;
    await recordEvent(db, { type: "quota.threshold", developerId: me.id, payload: { appName: "Weather", percent: 80 } });
    const hooks = await eventually(
      () => receiver.on("/flaky"),
      (list) => list.length >= 2,
    );
    expect(hooks[1]!.headers["webhook-id"]).toBe(hooks[0]!.headers["webhook-id"]);
    expect(hooks[1]!.at - hooks[0]!.at).toBeGreaterThanOrEqual(150); // the first retry waits 200–400 ms
    expect(signatureValid(endpoint.secret, hooks[1]!)).toBe(true);
    const [delivery] = await eventually(
      async () => (await call(developer, "GET", `/webhooks/${endpoint.id}/deliveries`)).json.items,
      (items) => items[0]?.status === "sent",
    );
    expect(delivery).toMatchObject({ status: "sent", attempts: 2, responseStatus: 200 });
  });

  let downEndpoint: { id: string; secret: string };
  let failedDelivery: { id: string; webhookId: string };

  it("gives up after the last attempt and logs the answer", async () => {
    receiver.answer("/down", () => ({ status: 503 }));
    downEndpoint = (await call(developer, "POST", "/webhooks", { url: `${receiver.url}/down` })).json;
    await recordEvent(db, { type: "bot.detected", developerId: me.id, payload: { appName: "Weather" } });
    const [delivery] = await eventually(
      async () => (await call(developer, "GET", `/webhooks/${downEndpoint.id}/deliveries`)).json.items,
      (items) => items[0]?.status === "failed",
    );
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, responseStatus: 503, lastError: "HTTP 503" });
    expect(receiver.on("/down")).toHaveLength(3);
    const times = receiver.on("/down").map((h) => h.at);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(350); // the second retry waits 400–800 ms
    failedDelivery = delivery;
  });

  it("replays: a given-up delivery is reset with its webhook-id; a sent one goes out again as a new delivery", async () => {
    receiver.answer("/down", () => ({ status: 200 }));
    const reset = await call(developer, "POST", `/webhooks/${downEndpoint.id}/deliveries/${failedDelivery.id}/replay`);
    expect(reset.status).toBe(202);
    expect(reset.json).toEqual({ outcome: "reset", deliveryId: failedDelivery.id });
    await eventually(
      () => receiver.on("/down"),
      (list) => list.length === 4,
    );
    expect(receiver.on("/down")[3]!.headers["webhook-id"]).toBe(failedDelivery.webhookId);
    await eventually(
      async () => (await call(developer, "GET", `/webhooks/${downEndpoint.id}/deliveries`)).json.items[0],
      (d) => d.status === "sent",
    );

    const again = await call(developer, "POST", `/webhooks/${downEndpoint.id}/deliveries/${failedDelivery.id}/replay`);
    expect(again.json.outcome).toBe("created");
    const hooks = await eventually(
      () => receiver.on("/down"),
      (list) => list.length === 5,
    );
    expect(hooks[4]!.headers["webhook-id"]).toBe(`msg_${again.json.deliveryId}`);
    expect(JSON.parse(hooks[4]!.body).id).toBe(JSON.parse(hooks[3]!.body).id); // the same event
  });

  it("sends a test event to one endpoint", async () => {
    const test = await call(developer, "POST", `/webhooks/${downEndpoint.id}/test`);
    expect(test.status).toBe(202);
    const hook = await eventually(
      () => receiver.on("/down").find((h) => h.headers["webhook-id"] === `msg_${test.json.deliveryId}`),
      (h) => h !== undefined,
    );
    expect(JSON.parse(hook!.body).type).toBe("webhook.test");
    expect(signatureValid(downEndpoint.secret, hook!)).toBe(true);
  });

  it("shows nobody else an endpoint, its secret or its log, nor lets them replay, test, change or delete it", async () => {
    const id = downEndpoint.id;
    expect((await call(other, "GET", `/webhooks/${id}`)).status).toBe(404);
    expect((await call(other, "GET", `/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await call(other, "POST", `/webhooks/${id}/deliveries/${failedDelivery.id}/replay`)).status).toBe(404);
    expect((await call(other, "POST", `/webhooks/${id}/test`)).status).toBe(404);
    expect((await call(other, "PATCH", `/webhooks/${id}`, { active: false })).status).toBe(404);
    expect((await call(other, "DELETE", `/webhooks/${id}`)).status).toBe(404);
    expect((await call(other, "GET", "/webhooks")).json.items.some((w: { id: string }) => w.id === id)).toBe(false);
    // my own endpoint, another endpoint's delivery: not found either
    const mine = (await call(other, "POST", "/webhooks", { url: `${receiver.url}/other` })).json;
    expect((await call(other, "POST", `/webhooks/${mine.id}/deliveries/${failedDelivery.id}/replay`)).status).toBe(404);
    expect((await call(null, "GET", `/webhooks/${id}`)).status).toBe(401);
    expect((await call(developer, "GET", `/webhooks/${id}`)).status).toBe(200);
  });
});

function safeList<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return []; // the mail directory appears with the first message
  }
}

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("notifications on two instances (PostgreSQL + Redis)", () => {
  let one: RunningGatehouse, two: RunningGatehouse, three: RunningGatehouse | undefined;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let db: Database;
  let receiver: WebhookReceiver;
  let developerId: string;
  let secret: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const provisioned = await postgresRedisBackend(TEST_DATABASE_URL!, TEST_REDIS_URL!).provision();
    cleanup = provisioned.cleanup;
    env = { ...provisioned.env, ENCRYPTION_KEY: randomBytes(32).toString("base64"), ...FAST, NOTIFICATIONS_MAX_ATTEMPTS: "20" };
    one = await startGatehouse(env);
    two = await startGatehouse(env);
    db = createDatabaseClient({ kind: "postgres", url: env.DATABASE_URL! });
    const { developer } = await seededSessions(one);
    const call = apiCaller(one);
    developerId = (await call(developer, "GET", "/me")).json.id;
    const endpoint = (await call(developer, "POST", "/webhooks", { url: `${receiver.url}/hook` })).json;
    secret = endpoint.secret;
  }, 180_000);
  afterAll(async () => {
    if (db) await closeDatabaseClient(db);
    await Promise.all([one?.stop(), two?.stop(), three?.stop()]);
    await cleanup?.();
    await receiver?.close();
  });

  const record = async (count: number, tag: string) => {
    for (let i = 0; i < count; i++) await recordEvent(db, { type: "quota.threshold", developerId, payload: { appName: `${tag}-${i}`, percent: 100 } });
  };
  const hooksOf = (tag: string) => receiver.on("/hook").filter((h) => JSON.parse(h.body).data.appName.startsWith(`${tag}-`));
  const ids = (hooks: ReceivedWebhook[]) => new Set(hooks.map((h) => String(h.headers["webhook-id"])));
  const allSent = async (tag: string, count: number) =>
    eventually(
      () => db.notificationDelivery.count({ where: { channel: "webhook", status: "sent", event: { payload: { contains: `"${tag}-` } } } }),
      (n) => n === count,
      60_000,
    );

  it("delivers each of many events exactly once across both instances", async () => {
    receiver.answer("/hook", () => ({ status: 200 }));
    await record(60, "many");
    await allSent("many", 60);
    await new Promise((r) => setTimeout(r, 1_000));
    const hooks = hooksOf("many");
    expect(ids(hooks).size).toBe(60);
    expect(hooks).toHaveLength(60);
    expect(hooks.every((h) => signatureValid(secret, h))).toBe(true);
    expect(await db.notification.count({ where: { developerId, title: { contains: "many-" } } })).toBe(60);
    // and each email once, whichever instance's mail catcher received it
    await eventually(
      () => db.notificationDelivery.count({ where: { channel: "email", status: "sent", event: { payload: { contains: '"many-' } } } }),
      (n) => n === 60,
    );
    const mail = [one, two].flatMap((instance) => listMail(join(instance.dataDir, "mail"), 10_000)).filter((m) => m.subject.includes("many-"));
    expect(mail).toHaveLength(60);
    expect(new Set(mail.map((m) => m.messageId)).size).toBe(60);
  }, 90_000);

  it("loses nothing and sends nothing twice when an instance gets SIGTERM mid-delivery", async () => {
    receiver.answer("/hook", () => ({ status: 200, holdMs: 1_500 }));
    await record(20, "term");
    await eventually(
      () => hooksOf("term").length,
      (n) => n >= 1,
    );
    expect(await one.stop()).toBe(0); // waits for its sends in flight
    await allSent("term", 20);
    await new Promise((r) => setTimeout(r, 1_000));
    const hooks = hooksOf("term");
    expect(ids(hooks).size).toBe(20);
    expect(hooks).toHaveLength(20);
  }, 90_000);

  it("after SIGKILL mid-delivery and a restart, delivers everything at least once; a repeat carries the same webhook-id", async () => {
    // only instance two runs now: it claims every delivery, and is killed while the receiver holds them
    receiver.answer("/hook", () => ({ status: 200, holdMs: 2_000 }));
    await record(20, "kill");
    await eventually(
      () => hooksOf("kill").length,
      (n) => n >= 4,
    );
    const exited = new Promise((resolve) => two.process.once("exit", resolve));
    two.process.kill("SIGKILL");
    await exited;
    const arrivedBeforeKill = ids(hooksOf("kill"));
    receiver.answer("/hook", () => ({ status: 200 }));
    three = await startGatehouse(env); // the restart: it sends the killed instance's deliveries once their leases run out
    await allSent("kill", 20);
    const hooks = hooksOf("kill");
    const expected = new Set((await db.notificationDelivery.findMany({ where: { channel: "webhook", event: { payload: { contains: '"kill-' } } } })).map((d) => `msg_${d.id}`));
    expect(ids(hooks)).toEqual(expected);
    // at least once: what the killed instance had sent but not recorded arrives again, under the same id
    expect(hooks.length).toBeGreaterThan(20);
    for (const id of arrivedBeforeKill) {
      const copies = hooks.filter((h) => h.headers["webhook-id"] === id);
      expect(copies.length).toBeGreaterThanOrEqual(2);
      expect(new Set(copies.map((h) => JSON.parse(h.body).id)).size).toBe(1);
    }
  }, 120_000);
});
