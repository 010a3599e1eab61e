"use client";
// The signed-in admin's API keys for the CLI: create (the key is shown once), list, revoke.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AdminApiKeyView } from "@/lib/portal/admin-api-key-view";
import { api } from "../api-client";
import { buttonClass, dangerButtonClass, ErrorNote, formatDate, inputClass, StatusBadge } from "../ui/basics";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { submitInPage } from "../ui/submit-in-page";
import { SecretPanel } from "../portal/secret-panel";

export function ApiKeys() {
  const list = usePagedList<AdminApiKeyView>("/admin-api-keys");
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["/admin-api-keys"] });
  const create = useMutation({
    mutationFn: () => api<{ id: string; name: string; key: string }>("/admin-api-keys", { method: "POST", body: { name } }),
    onSuccess: (k) => {
      setIssued({ name: k.name, key: k.key });
      setName("");
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => api(`/admin-api-keys/${id}`, { method: "DELETE" }), onSuccess: () => void refresh() });
  return (
    <div className="space-y-4">
      <form className="flex items-end gap-2" onSubmit={submitInPage(() => create.mutate())}>
        <label className="flex-1 text-sm">
          Name of the new key
          <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        </label>
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          Create key
        </button>
      </form>
      <ErrorNote error={create.error ?? revoke.error} />
      {issued ? (
        <SecretPanel
          clientId={issued.name}
          secret={issued.key}
          onDismiss={() => setIssued(null)}
          labels={{ title: "Copy your API key now", id: "name", secret: "key", lost: "create a new key and revoke this one" }}
        />
      ) : null}
      <PagedTable
        list={list}
        empty="No API keys."
        headers={["Name", "Key", "Created", "Last used", "Status", ""]}
        cells={(k) => (
          <>
            <td className="p-2">{k.name}</td>
            <td className="font-mono">{k.keyHint}</td>
            <td>{formatDate(k.createdAt)}</td>
            <td>{formatDate(k.lastUsedAt)}</td>
            <td>
              <StatusBadge status={k.revokedAt ? "revoked" : "active"} />
            </td>
            <td className="text-right">
              {k.revokedAt ? null : (
                <button type="button" className={dangerButtonClass} onClick={() => revoke.mutate(k.id)}>
                  Revoke
                </button>
              )}
            </td>
          </>
        )}
      />
    </div>
  );
}
