// Who owns an app — its developer or a team — and, for those who manage it, a native form to
// move it between them; the move keeps the app's credentials.
import Link from "next/link";
import { Card, inputClass, secondaryButtonClass } from "../ui/basics";
import { FormOutcome } from "../admin/form-outcome";

export function AppOwnerCard({
  appId,
  team,
  canMove,
  teams,
  status,
  error,
}: {
  appId: string;
  team: { id: string; name: string } | null;
  canMove: boolean;
  /** Teams the viewer may put apps in (owner or admin). */
  teams: { id: string; name: string }[];
  status?: string | string[];
  error?: string | string[];
}) {
  const targets = teams.filter((t) => t.id !== team?.id);
  return (
    <Card title="Owner">
      <div className="space-y-3 text-sm">
        <FormOutcome status={status} error={error} />
        <p data-testid="app-owner">
          {team ? (
            <>
              Team{" "}
              <Link href={`/teams/${team.id}`} className="break-words text-brand-700 underline">
                {team.name}
              </Link>
            </>
          ) : (
            "You (a personal app)"
          )}
        </p>
        {canMove && (team || targets.length > 0) ? (
          <form method="post" action={`/apps/${appId}/move`} className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <div className="flex-1 font-medium">
              <label htmlFor="move-to">Move to</label>
              <select id="move-to" name="teamId" className={inputClass} defaultValue={targets[0]?.id ?? ""}>
                {team ? <option value="">Me</option> : null}
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    Team {t.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={secondaryButtonClass}>
              Move app
            </button>
          </form>
        ) : null}
        {canMove ? <p className="text-slate-600">Moving keeps the app&apos;s credentials and tokens.</p> : null}
      </div>
    </Card>
  );
}
