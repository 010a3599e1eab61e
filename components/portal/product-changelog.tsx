// "Versions and changes" on a product's catalog page: every version of its APIs, newest first,
// deprecated and sunset ones marked, and the viewer's own apps pinned to each named.
import type { ChangelogEntry, VersionState } from "@/lib/portal/changelog";
import { Card } from "../ui/basics";

const STATE_LABEL: Record<VersionState, { text: string; className: string }> = {
  current: { text: "current", className: "bg-green-100 text-green-800" },
  deprecated: { text: "deprecated", className: "bg-amber-100 text-amber-800" },
  sunset: { text: "sunset: no longer answers", className: "bg-red-100 text-red-800" },
  disabled: { text: "disabled", className: "bg-slate-200 text-slate-700" },
};

/** "1 Jan 2027" (UTC): a date people read, not a timestamp. */
export function readableDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(iso));
}

function pinnedNote(entry: ChangelogEntry, app: { name: string }): string {
  const version = `${entry.basePath} ${entry.version}`;
  if (entry.state === "sunset") return `Your app ${app.name} is pinned to ${version}, which stopped answering on ${readableDate(entry.sunsetAt!)}.`;
  if (entry.sunsetAt) return `Your app ${app.name} is pinned to ${version}, which stops answering on ${readableDate(entry.sunsetAt)}.`;
  if (entry.state === "deprecated") return `Your app ${app.name} is pinned to ${version}, which is deprecated.`;
  return `Your app ${app.name} is pinned to ${version}.`;
}

export function ProductChangelog({ entries }: { entries: ChangelogEntry[] }) {
  return (
    <Card title="Versions and changes">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">No versions published yet.</p>
      ) : (
        <ol className="space-y-3" data-testid="changelog">
          {entries.map((entry) => {
            const label = STATE_LABEL[entry.state];
            return (
              <li key={entry.proxyId} className="rounded border border-slate-200 p-3 text-sm" data-state={entry.state}>
                <p className="flex flex-wrap items-center gap-2">
                  <span className="font-mono font-medium break-all text-slate-900">
                    {entry.basePath} {entry.version}
                  </span>
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${label.className}`}>{label.text}</span>
                </p>
                <p className="mt-1 text-slate-600">
                  {entry.name} · published {readableDate(entry.createdAt)} · changed {readableDate(entry.updatedAt)}
                  {entry.deprecatedAt ? ` · deprecated ${readableDate(entry.deprecatedAt)}` : ""}
                  {entry.sunsetAt ? ` · sunset ${readableDate(entry.sunsetAt)}` : ""}
                </p>
                {entry.deprecationLink ? (
                  <p className="mt-1">
                    <a href={entry.deprecationLink} className="break-all text-brand-700 underline" rel="noopener noreferrer">
                      What replaces it
                    </a>
                  </p>
                ) : null}
                {entry.yourPinnedApps.map((app) => (
                  <p
                    key={app.id}
                    role={entry.state === "current" ? undefined : "note"}
                    className={`mt-2 rounded px-2 py-1 ${entry.state === "current" ? "bg-brand-50 text-brand-900" : "bg-amber-50 text-amber-900"}`}
                    data-testid="pinned-app"
                  >
                    {pinnedNote(entry, app)}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
