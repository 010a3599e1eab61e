"use client";
// Bot detection: the detections (identity, signature, score, evidence, action taken), each
// one click away from a rule for its identity or its signature; and the rules in force.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { deleteBotRuleAction } from "@/app/admin/actions";
import type { BotDetectionView, BotRuleView } from "@/lib/portal/bot-detection";
import { api } from "../api-client";
import { Card, ErrorNote, formatDate, inputClass, Options, secondaryButtonClass, buttonClass, StatusNote } from "../ui/basics";
import { ConfirmAction } from "../ui/confirm-action";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { submitInPage } from "../ui/submit-in-page";

const SIGNATURES = [
  ["flooder", "Flooder"],
  ["scraper", "Enumerator / Scraper"],
  ["brute-guesser", "Brute guesser"],
  ["credential-stuffer", "Credential stuffer"],
  ["automation", "Automation client"],
] as const;
const ACTIONS = ["allow", "flag", "throttle", "tarpit", "honeypot", "block"] as const;

export function BotDetections() {
  const queryClient = useQueryClient();
  const [signature, setSignature] = useState("");
  const [action, setAction] = useState<(typeof ACTIONS)[number]>("block");
  const detections = usePagedList<BotDetectionView>("/bot-detections", { signature: signature || undefined });
  const rules = usePagedList<BotRuleView>("/bot-rules");
  const refresh = () => queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("/bot-") });
  const oneClick = useMutation({
    mutationFn: (v: { id: string; scope: "identity" | "signature" }) => api<BotRuleView>(`/bot-detections/${v.id}/rule`, { method: "POST", body: { scope: v.scope, action } }),
    onSuccess: refresh,
  });
  const [draft, setDraft] = useState({ kind: "signature", target: "flooder", action: "flag" });
  const add = useMutation({ mutationFn: () => api<BotRuleView>("/bot-rules", { method: "POST", body: draft }), onSuccess: refresh });

  return (
    <div className="space-y-8">
      <p className="text-sm text-slate-600">
        Every proxy watches its callers&apos; behaviour. A signature without a rule is <strong>flagged</strong>: the backend gets an <code>X-Gatehouse-Bot</code> header and
        analytics records it. Choose an action, then one click on a detection makes it a rule for that identity or for the whole signature.
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <label className="text-sm">
          Signature
          <select className={inputClass} value={signature} onChange={(e) => setSignature(e.target.value)} data-testid="signature-filter">
            <option value="">All</option>
            <Options options={SIGNATURES} />
          </select>
        </label>
        <label className="text-sm">
          Action for one-click rules
          <select className={inputClass} value={action} onChange={(e) => setAction(e.target.value as (typeof ACTIONS)[number])} data-testid="one-click-action">
            <Options options={ACTIONS} />
          </select>
        </label>
      </div>
      <ErrorNote error={oneClick.error} />
      {oneClick.isSuccess ? (
        <StatusNote>
          Rule saved: {oneClick.data.kind} {oneClick.data.target} → {oneClick.data.action}. Every instance applies it now.
        </StatusNote>
      ) : null}
      <PagedTable
        list={detections}
        empty="No detections yet."
        className="w-full bg-white text-left text-xs"
        testId="detections"
        headers={["Last seen", "Identity", "Signature", "Score", "Evidence", "Action taken", "Calls", "Make a rule"]}
        rowClassName="align-top"
        rowTestId="detection"
        cells={(d) => (
          <>
            <td className="p-2 whitespace-nowrap">{formatDate(d.lastSeenAt)}</td>
            <td className="font-mono">
              {d.appName ? <span className="block font-sans font-medium">{d.appName}</span> : null}
              {d.identity}
              {d.clientIp && !d.identity.startsWith("ip:") ? (
                <>
                  <br />
                  <span className="text-slate-500">from {d.clientIp}</span>
                </>
              ) : null}
            </td>
            <td>{d.signatureTitle}</td>
            <td>{d.score.toFixed(2)}</td>
            <td>
              <pre className="max-w-xs whitespace-pre-wrap text-[11px]">
                {Object.entries(d.evidence)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join("\n")}
              </pre>
            </td>
            <td>{d.action}</td>
            <td>{d.hits}</td>
            <td className="space-y-1 whitespace-nowrap">
              <button type="button" className={secondaryButtonClass} disabled={oneClick.isPending} onClick={() => oneClick.mutate({ id: d.id, scope: "identity" })}>
                {action} this identity
              </button>
              <br />
              <button type="button" className={secondaryButtonClass} disabled={oneClick.isPending} onClick={() => oneClick.mutate({ id: d.id, scope: "signature" })}>
                {action} every {d.signatureTitle}
              </button>
            </td>
          </>
        )}
      />

      <Card title="Rules">
        <PagedTable
          list={rules}
          empty="No rules: every signature is flagged."
          className="w-full text-left text-xs"
          testId="rules"
          headers={["Kind", "Target", "Action", "Note", ""]}
          rowTestId="rule"
          cells={(r) => (
            <>
              <td className="p-2">{r.kind}</td>
              <td className="font-mono">{r.target}</td>
              <td>{r.action}</td>
              <td className="text-slate-500">{r.note}</td>
              <td className="p-2 text-right">
                <ConfirmAction
                  action={deleteBotRuleAction}
                  fields={{ ruleId: r.id }}
                  label="Delete…"
                  confirm="Yes, delete the rule"
                  consequence={
                    r.kind === "signature"
                      ? `Delete the rule ${r.target} → ${r.action}? Callers matching it are only flagged from now on.`
                      : `Delete the rule for ${r.target} (${r.action})? That identity is judged by the signature rules again.`
                  }
                  onDone={() => void refresh()}
                />
              </td>
            </>
          )}
        />
        <form className="mt-4 grid items-end gap-3 md:grid-cols-4" onSubmit={submitInPage(() => add.mutate())}>
          <label className="text-sm">
            Kind
            <select
              className={inputClass}
              value={draft.kind}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value, target: e.target.value === "signature" ? "flooder" : "" })}
            >
              <option value="signature">signature</option>
              <option value="identity">identity (allow-list)</option>
            </select>
          </label>
          <label className="text-sm">
            Target
            {draft.kind === "signature" ? (
              <select className={inputClass} value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.target.value })}>
                <Options options={SIGNATURES} />
              </select>
            ) : (
              <input
                className={inputClass}
                placeholder="app:… token:… key:… user:… ip:10.0.0.0/8 ua:…"
                value={draft.target}
                onChange={(e) => setDraft({ ...draft, target: e.target.value })}
                required
              />
            )}
          </label>
          <label className="text-sm">
            Action
            <select className={inputClass} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
              <Options options={ACTIONS} />
            </select>
          </label>
          <button type="submit" className={buttonClass} disabled={add.isPending}>
            Add rule
          </button>
        </form>
        <ErrorNote error={add.error} />
      </Card>
    </div>
  );
}
