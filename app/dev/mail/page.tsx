import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/config";
import { devInboxDir } from "@/lib/notifications/dev-inbox";
import { listMail } from "@/lib/notifications/mailbox";
import { Empty, formatDate, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Development mail" };
export const dynamic = "force-dynamic";

/** Every message the development mail catcher received, newest first (only while it runs). */
export default function DevMailPage() {
  const dir = devInboxDir(getConfig());
  if (!dir) notFound();
  const mail = listMail(dir);
  return (
    <TitledPage title="Development mail">
      <p className="mb-4 text-sm text-slate-600">
        Without <code>SMTP_URL</code>, Gatehouse sends its email to a mail catcher on this machine over SMTP; nothing leaves it. Set <code>SMTP_URL</code> to send real email.
      </p>
      {mail.length === 0 ? (
        <Empty>No mail yet.</Empty>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="dev-mail-list">
          {mail.map((m) => (
            <li key={m.id} className="px-3 py-2">
              <Link href={`/dev/mail/${m.id}`} className="block break-words font-medium text-brand-700 underline">
                {m.subject || "(no subject)"}
              </Link>
              <p className="break-words text-sm text-slate-600">
                To {m.envelope.to.join(", ") || m.to} · <time dateTime={m.receivedAt}>{formatDate(m.receivedAt)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </TitledPage>
  );
}
