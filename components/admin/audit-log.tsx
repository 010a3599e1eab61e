"use client";
// The audit log: filter by action prefix, actor, target and time; newest first; paginated.
// Actors and targets appear by name; an id is shown only for what no longer exists.
import { useState } from "react";
import type { AuditView } from "@/lib/portal/audit";
import type { Page } from "@/lib/portal/pagination";
import { formatDate, inputClass, secondaryButtonClass } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { submitInPage } from "../ui/submit-in-page";

const EMPTY = { action: "", actorId: "", targetType: "", targetId: "", since: "", until: "" };

/** An id standing in for something deleted: short, monospace, whole in its title. */
function RawId({ id }: { id: string }) {
  return (
    <span className="inline-block max-w-[10rem] truncate align-bottom font-mono text-slate-500" title={id}>
      {id}
    </span>
  );
}

export function AuditLog({ initial }: { initial?: Page<AuditView> }) {
  const [draft, setDraft] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const list = usePagedList<AuditView>(
    "/audit",
    {
      ...filters,
      since: filters.since ? new Date(filters.since).toISOString() : "",
      until: filters.until ? new Date(filters.until).toISOString() : "",
    },
    filters === EMPTY ? initial : undefined,
  );
  const field = (key: keyof typeof EMPTY, label: string, type = "text") => (
    <label className="text-sm">
      {label}
      <input type={type} className={inputClass} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <div className="space-y-4">
      <form className="grid items-end gap-3 md:grid-cols-4" role="search" onSubmit={submitInPage(() => setFilters(draft))}>
        {field("action", "Action (prefix, e.g. app.)")}
        {field("actorId", "Actor id")}
        {field("targetType", "Target type")}
        {field("targetId", "Target id")}
        {field("since", "Since", "datetime-local")}
        {field("until", "Until", "datetime-local")}
        <div className="flex gap-2">
          <button type="submit" className={secondaryButtonClass}>
            Filter
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <PagedTable
        list={list}
        empty="No audit events match."
        className="w-full bg-white text-left text-xs"
        headers={["When", "Actor", "Action", "Target", "From", "Change"]}
        rowClassName="align-top"
        cells={(e) => (
          <>
            <td className="p-2 whitespace-nowrap">{formatDate(e.at)}</td>
            <td data-testid="audit-actor">
              {e.actorId && e.actorName === e.actorId ? <RawId id={e.actorId} /> : <span className="break-words">{e.actorName}</span>}
              <br />
              <span className="text-slate-500">{e.actorType}</span>
            </td>
            <td className="font-mono">{e.action}</td>
            <td data-testid="audit-target">
              {e.targetName ? <span className="break-words">{e.targetName}</span> : e.targetId ? <RawId id={e.targetId} /> : "—"}
              {e.targetType ? (
                <>
                  <br />
                  <span className="text-slate-500">{e.targetType.replaceAll("_", " ")}</span>
                </>
              ) : null}
            </td>
            <td>{e.ip ?? "—"}</td>
            <td>
              <details>
                <summary className="cursor-pointer text-brand-700">before / after</summary>
                <pre tabIndex={0} className="max-w-md overflow-auto whitespace-pre-wrap text-[11px]">
                  {JSON.stringify({ before: e.before, after: e.after }, null, 2)}
                </pre>
              </details>
            </td>
          </>
        )}
      />
    </div>
  );
}
