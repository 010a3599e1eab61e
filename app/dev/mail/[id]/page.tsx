import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/config";
import { devInboxDir, linkify } from "@/lib/notifications/dev-inbox";
import { readMail } from "@/lib/notifications/mailbox";
import { Card, formatDate, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Development mail" };
export const dynamic = "force-dynamic";

/** One caught message: its headers, the text body with its links, and the HTML body in a sandboxed frame. */
export default async function DevMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const dir = devInboxDir(getConfig());
  if (!dir) notFound();
  const mail = readMail(dir, (await params).id);
  if (!mail) notFound();
  return (
    <TitledPage title={<span className="break-words">{mail.subject || "(no subject)"}</span>}>
      <div className="space-y-4">
        <Link href="/dev/mail" className="text-sm text-brand-700 underline">
          All mail
        </Link>
        <Card title="Headers">
          <dl className="grid grid-cols-1 gap-x-3 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-slate-500">Received</dt>
            <dd>{formatDate(mail.receivedAt)}</dd>
            <dt className="text-slate-500">Envelope to</dt>
            <dd className="break-words">{mail.envelope.to.join(", ")}</dd>
            {mail.headers.map(([name, value], i) => (
              <div key={i} className="contents">
                <dt className="break-words text-slate-500">{name}</dt>
                <dd className="break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Text">
          <pre className="whitespace-pre-wrap break-words text-sm" data-testid="dev-mail-text">
            {linkify(mail.text).map((part, i) =>
              part.href ? (
                <a key={i} href={part.href} className="text-brand-700 underline">
                  {part.text}
                </a>
              ) : (
                <span key={i}>{part.text}</span>
              ),
            )}
          </pre>
        </Card>
        {mail.html ? (
          <Card title="HTML">
            {/* an empty sandbox: no script, no forms, no navigation of this page, a unique origin */}
            <iframe title="HTML body of the message" sandbox="" srcDoc={mail.html} className="h-96 w-full rounded border border-slate-200 bg-white" />
          </Card>
        ) : null}
      </div>
    </TitledPage>
  );
}
