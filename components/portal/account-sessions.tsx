// Where the developer is signed in, and "Sign out everywhere": every portal session ends on the
// server (a copied cookie stops working too), then this browser signs out of Okta as well. The
// list comes with the page and the button is a plain form post, so both work without JavaScript.
import { formatDate, dangerButtonClass } from "../ui/basics";

export interface SessionRow {
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export function AccountSessions({ sessions }: { sessions: SessionRow[] }) {
  return (
    <div className="space-y-4 text-sm">
      <ul className="space-y-2" data-testid="session-list">
        {sessions.map((s) => (
          <li key={s.createdAt + (s.userAgent ?? "")} className="rounded border border-slate-200 px-3 py-2">
            <span className="font-medium break-words">{s.userAgent ?? "unknown browser"}</span>
            <span className="block text-slate-500">
              from {s.ip ?? "unknown address"} · signed in {formatDate(s.createdAt)} · until {formatDate(s.expiresAt)}
            </span>
          </li>
        ))}
      </ul>
      <form method="post" action="/auth/signout">
        <input type="hidden" name="everywhere" value="1" />
        <button type="submit" className={dangerButtonClass}>
          Sign out everywhere
        </button>
      </form>
    </div>
  );
}
