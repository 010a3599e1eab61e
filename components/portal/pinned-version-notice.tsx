// A notice for an app's page: the API versions the app is pinned to that are deprecated or have
// a sunset date, with when they stop answering. A server component (place it in the server page,
// not inside a client component); nothing when there is nothing to say or the viewer may not see the app.
import { currentViewer } from "@/lib/auth/viewer";
import { pinnedVersionsEnding } from "@/lib/portal/changelog";
import { readableDate } from "./product-changelog";

export async function PinnedVersionNotice({ appId, appName }: { appId: string; appName?: string }) {
  const viewer = await currentViewer();
  if (!viewer) return null;
  const versions = await pinnedVersionsEnding(viewer.ctx, viewer.actor, appId).catch(() => []);
  if (versions.length === 0) return null;
  const who = appName ? `Your app ${appName}` : "This app";
  return (
    <section aria-label="Pinned API versions" role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="pinned-version-notice">
      <ul className="space-y-1">
        {versions.map((v) => (
          <li key={`${v.basePath}/${v.version}`}>
            {who} is pinned to <span className="font-mono">{`${v.basePath} ${v.version}`}</span>
            {v.state === "sunset" && v.sunsetAt
              ? `, which stopped answering on ${readableDate(v.sunsetAt)}.`
              : v.sunsetAt
                ? `, which stops answering on ${readableDate(v.sunsetAt)}.`
                : ", which is deprecated."}{" "}
            {v.deprecationLink ? (
              <a href={v.deprecationLink} className="underline" rel="noopener noreferrer">
                What replaces it
              </a>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
