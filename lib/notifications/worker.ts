// The notification worker: one per instance (the primary process runs it, like analytics
// retention). Each cycle fans new outbox events out, then claims and sends due deliveries. It
// polls, and wakes at once when nudged (nudgeNotifications, through the store's pub/sub, from
// any thread or instance). Stopping stops claiming, lets the sends in flight finish and record
// their outcome, then closes the senders (and the dev mail catcher).
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import { targetPolicyOf } from "../gateway/target-policy.ts";
import { createEmailSender, type EmailSender } from "./email-sender.ts";
import { claimDue, sendClaimed, type DeliveryOptions } from "./deliveries.ts";
import { fanOutPending } from "./fan-out.ts";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";
import { createWebhookSender } from "./webhook-sender.ts";
import { NUDGE_CHANNEL } from "./nudge.ts";

export interface NotificationWorker {
  /** The mail catcher's SMTP URL when it runs. */
  catcherUrl: string | null;
  nudge(): void;
  stop(): Promise<void>;
}

const FAN_OUT_LEASE_MS = 30_000;
const SEND_BATCH = 16;

export async function startNotificationWorker(options: { db: Database; store: Store; config: Config; log: Logger }): Promise<NotificationWorker> {
  const { db, store, config } = options;
  const log = options.log.child({ module: "notifications" });
  const settings = config.notifications;
  let catcher: MailCatcher | null = null;
  if (settings.mail.mode === "catcher") {
    catcher = await startMailCatcher(settings.mail.dir, (error) => log.warn({ err: error }, "mail catcher: a message could not be stored"));
    log.info({ smtp: catcher.url, inbox: `${config.publicUrl}/dev/mail` }, "development mail catcher listening (no SMTP_URL)");
  } else if (settings.mail.mode === "off") {
    log.warn("no SMTP_URL: notifications are not emailed (in-portal list and webhooks only)");
  }
  const smtpUrl = settings.mail.mode === "smtp" ? settings.mail.url : catcher?.url;
  const email: EmailSender | null = smtpUrl ? createEmailSender({ url: smtpUrl, from: settings.from, publicUrl: config.publicUrl, timeoutMs: settings.sendTimeoutMs }) : null;
  const webhooks = createWebhookSender({ policy: targetPolicyOf(config), timeoutMs: settings.sendTimeoutMs });
  const delivery: DeliveryOptions = {
    publicUrl: config.publicUrl,
    encryptionKey: config.secrets.encryptionKey,
    maxAttempts: settings.maxAttempts,
    retryBaseMs: settings.retryBaseMs,
    // longer than any one send may take, so a live instance is never overtaken
    leaseMs: settings.sendTimeoutMs * 2 + 5_000,
    email,
    webhooks,
  };

  let stopping = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  async function cycle(): Promise<boolean> {
    const fannedOut = await fanOutPending(db, { publicUrl: config.publicUrl, email: email !== null, leaseMs: FAN_OUT_LEASE_MS });
    if (stopping) return false;
    const claimed = await claimDue(db, delivery, SEND_BATCH);
    await Promise.all(
      claimed.map((d) =>
        sendClaimed(db, d, delivery).then(
          (outcome) => log.debug({ delivery: d.id, channel: d.channel, ok: outcome.ok, status: outcome.status }, "notification sent"),
          (error: Error) => log.error({ err: error, delivery: d.id }, "notification delivery could not be recorded"),
        ),
      ),
    );
    return fannedOut > 0 || claimed.length > 0;
  }

  function run(): void {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = (async () => {
      let busy = true;
      try {
        // a full batch may mean more is waiting: keep going until a cycle finds nothing
        while (busy && !stopping) {
          again = false;
          busy = (await cycle()) || again;
        }
      } catch (error) {
        log.warn({ err: error }, "notification cycle failed; retrying at the next poll");
      }
    })().finally(() => {
      running = null;
      if (!stopping) timer = setTimeout(run, settings.pollIntervalMs);
    });
  }

  // not awaited: with Redis down at start the worker still polls, and hears nudges once it is back
  let unsubscribe: (() => Promise<void>) | null = null;
  store
    .subscribe(NUDGE_CHANNEL, () => run())
    .then(
      (off) => (stopping ? void off().catch(() => {}) : (unsubscribe = off)),
      (error: Error) => log.warn({ err: error }, "notifications: no nudges (store pub/sub unavailable); polling only"),
    );
  run();

  return {
    catcherUrl: catcher?.url ?? null,
    nudge: run,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running; // the sends in flight finish and are recorded
      await unsubscribe?.().catch(() => {});
      email?.close();
      await webhooks.close().catch(() => {});
      await catcher?.stop();
    },
  };
}
