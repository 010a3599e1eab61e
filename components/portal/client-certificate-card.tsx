"use client";
// An app's client certificate (RFC 8705): paste a PEM certificate or its SHA-256 thumbprint to
// use tls_client_auth and get certificate-bound tokens; remove it to go back to secrets only.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AppView } from "@/lib/portal/views";
import { api } from "../api-client";
import { buttonClass, Card, dangerButtonClass, ErrorNote, inputClass, secondaryButtonClass } from "../ui/basics";

export function ClientCertificateCard({ app }: { app: AppView }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState("");
  const [editing, setEditing] = useState(false);
  const done = (updated: AppView) => {
    queryClient.setQueryData(["app", app.id], updated);
    setValue("");
    setEditing(false);
  };
  const save = useMutation({
    mutationFn: (input: string) => {
      const text = input.trim();
      return api<AppView>(`/apps/${app.id}/client-certificate`, { method: "PUT", body: text.startsWith("-----BEGIN") ? { certificate: text } : { thumbprint: text } });
    },
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => api<AppView>(`/apps/${app.id}/client-certificate`, { method: "DELETE" }),
    onSuccess: done,
  });
  const current = app.clientCertificate;

  return (
    <Card
      title="Client certificate (mutual TLS)"
      actions={
        current && !editing ? (
          <span className="inline-flex gap-2">
            <button type="button" className={secondaryButtonClass} onClick={() => setEditing(true)}>
              Replace
            </button>
            <button type="button" className={dangerButtonClass} disabled={remove.isPending} onClick={() => remove.mutate()}>
              Remove
            </button>
          </span>
        ) : null
      }
    >
      <ErrorNote error={remove.error} />
      <p className="mb-3 text-sm text-slate-500">
        With a registered certificate the app can authenticate with <code>tls_client_auth</code> (no secret), and tokens it obtains while presenting the certificate are bound to
        it: they are refused from any other client. Replacing or removing the certificate revokes the tokens bound to it.
      </p>
      {current ? (
        <p className="text-sm">
          SHA-256 thumbprint (x5t#S256):{" "}
          <span data-testid="client-certificate-thumbprint" className="font-mono">
            {current.thumbprint}
          </span>
        </p>
      ) : null}
      {!current || editing ? (
        <form
          className="mt-3 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(value);
          }}
        >
          <label className="block text-sm font-medium text-slate-700">
            PEM certificate or its thumbprint
            <textarea
              name="certificate"
              rows={5}
              className={`${inputClass} font-mono`}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder="-----BEGIN CERTIFICATE-----"
            />
          </label>
          <ErrorNote error={save.error} />
          <div className="flex gap-2">
            <button type="submit" className={buttonClass} disabled={save.isPending || !value.trim()}>
              Register certificate
            </button>
            {editing ? (
              <button type="button" className={secondaryButtonClass} onClick={() => setEditing(false)}>
                Cancel
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </Card>
  );
}
