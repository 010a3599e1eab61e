// The development mail catcher: a real SMTP server (smtp-server) on 127.0.0.1 and a free port,
// started in the process when no SMTP_URL is set and the embedded defaults apply, like okta-dev
// for Okta. Gatehouse's own sender talks SMTP to it; each message is parsed (mailparser) and
// kept under DATA_DIR/mail, where /dev/mail shows it.
import { SMTPServer } from "smtp-server";
import { simpleParser, type AddressObject } from "mailparser";
import { newMailId, saveMail } from "./mailbox.ts";

export interface MailCatcher {
  /** smtp://127.0.0.1:<port> — what the sender uses. */
  url: string;
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

const addressText = (value: AddressObject | AddressObject[] | undefined): string => (Array.isArray(value) ? value.map((v) => v.text).join(", ") : (value?.text ?? ""));

export async function startMailCatcher(dir: string, onError: (error: Error) => void = () => {}): Promise<MailCatcher> {
  const server = new SMTPServer({
    // loopback only, no TLS offered and no login asked: nothing leaves the machine
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: "Gatehouse development mail catcher",
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          saveMail(dir, {
            id: newMailId(),
            receivedAt: new Date().toISOString(),
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
            messageId: parsed.messageId ?? null,
            from: addressText(parsed.from),
            to: addressText(parsed.to),
            subject: parsed.subject ?? "",
            headers: parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()]),
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : null,
          });
          callback();
        })
        .catch((error: Error) => {
          onError(error);
          callback(error);
        });
    },
  });
  server.on("error", onError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
