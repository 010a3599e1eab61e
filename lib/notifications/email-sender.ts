// Sends one notification email over SMTP (nodemailer). The Message-ID derives from the
// delivery's id, so a message sent again after a crash carries the same id and mail systems
// (and people's clients) can tell it is the same message.
import nodemailer, { type Transporter } from "nodemailer";
import type { RenderedEmail } from "./templates.ts";

export interface EmailSender {
  send(deliveryId: string, to: string, email: RenderedEmail): Promise<void>;
  close(): void;
}

export function messageIdOf(deliveryId: string, publicUrl: string): string {
  return `<${deliveryId}@${new URL(publicUrl).hostname || "gatehouse"}>`;
}

export function createEmailSender(options: { url: string; from: string; publicUrl: string; timeoutMs: number }): EmailSender {
  const transport: Transporter = nodemailer.createTransport(options.url, {
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  } as never);
  return {
    async send(deliveryId, to, email) {
      await transport.sendMail({
        from: options.from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: messageIdOf(deliveryId, options.publicUrl),
      });
    },
    close: () => transport.close(),
  };
}
