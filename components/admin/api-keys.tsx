"use client";
// The signed-in admin's API keys for the CLI: create (the key is shown once), list, revoke.
// Both are forms posting to server actions; revoking asks first.
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useState } from "react";
import type { AdminApiKeyView } from "@/lib/portal/admin-api-key-view";
import type { Page } from "@/lib/portal/pagination";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/admin/actions";
import { buttonClass, formatDate, inputClass, StatusBadge } from "../ui/basics";
import { ActionNote, ConfirmAction, useAfterResult } from "../ui/confirm-action";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { SecretPanel } from "../portal/secret-panel";

export function ApiKeys({ initial }: { initial?: Page<AdminApiKeyView> }) {
  const list = usePagedList<AdminApiKeyView>("/admin-api-keys", {}, initial);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["/admin-api-keys"] });
  const [created, create, pending] = useActionState(createApiKeyAction, null);
  // The key lives only in this result; dismissing hides it for good.
  const [dismissed, setDismissed] = useState<typeof created>(null);
  useAfterResult(created, refresh);
  const issued = created?.secret && dismissed !== created ? created.secret : null;
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" action={create}>
        <label className="min-w-0 flex-1 text-sm">
          Name of the new key
          <input name="name" className={inputClass} required maxLength={80} />
        </label>
        <button type="submit" className={buttonClass} disabled={pending}>
          Create key
        </button>
      </form>
      {created?.ok ? null : <ActionNote result={created} />}
      {issued ? (
        <SecretPanel
          clientId={issued.name}
          secret={issued.key}
          onDismiss={() => setDismissed(created)}
          labels={{ title: "Copy your API key now", id: "name", secret: "key", lost: "create a new key and revoke this one" }}
        />
      ) : null}
      <PagedTable
        list={list}
        empty="No API keys."
        headers={["Name", "Key", "Created", "Last used", "Status", ""]}
        rowClassName="align-top"
        cells={(k) => (
          <>
            <td className="p-2">{k.name}</td>
            <td className="font-mono">{k.keyHint}</td>
            <td>{formatDate(k.createdAt)}</td>
            <td>{formatDate(k.lastUsedAt)}</td>
            <td>
              <StatusBadge status={k.revokedAt ? "revoked" : "active"} />
            </td>
            <td className="p-2 text-right">
              {k.revokedAt ? null : (
                <ConfirmAction
                  action={revokeApiKeyAction}
                  fields={{ keyId: k.id, label: k.name }}
                  label="Revoke…"
                  confirm="Yes, revoke"
                  consequence={`Revoke the key ${k.name} (${k.keyHint})? The CLI and scripts using it are refused at once.`}
                  onDone={refresh}
                />
              )}
            </td>
          </>
        )}
      />
    </div>
  );
}
