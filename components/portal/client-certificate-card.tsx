"use client";
// An app's client certificate (RFC 8705): paste a PEM certificate or its SHA-256 thumbprint to
// use tls_client_auth and get certificate-bound tokens; remove it to go back to secrets only.
// Both are forms posting to server actions, so they work before JavaScript loads.
import { useActionState } from "react";
import { removeClientCertificateAction, setClientCertificateAction } from "@/app/apps/actions";
import { fieldError, keptValue, type FormState } from "@/lib/auth/form-state";
import type { AppView } from "@/lib/portal/views";
import { buttonClass, Card, dangerButtonClass, inputClass, secondaryButtonClass } from "../ui/basics";
import { ActionForm, useCachesStaleOnSubmit } from "../ui/action-form";
import { FormAlert, FormField } from "../ui/form-fields";
import { boundAction } from "@/components/ui/bound-action";

export function ClientCertificateCard({ app }: { app: AppView }) {
  const page = `/apps/${app.id}`;
  const current = app.clientCertificate;
  const [state, action, pending] = useActionState(boundAction(setClientCertificateAction, app.id), {}, page);
  const form = <CertificateForm state={state} action={action} pending={pending} />;
  return (
    <Card
      title="Client certificate (mutual TLS)"
      actions={current ? <ActionForm action={boundAction(removeClientCertificateAction, app.id)} permalink={page} label="Remove" className={dangerButtonClass} /> : null}
    >
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
      {current ? (
        <details className="mt-3" open={state.formError ? true : undefined}>
          <summary className={`${secondaryButtonClass} inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>Replace</summary>
          {form}
        </details>
      ) : (
        form
      )}
    </Card>
  );
}

function CertificateForm({ state, action, pending }: { state: FormState; action: (form: FormData) => void; pending: boolean }) {
  const stale = useCachesStaleOnSubmit();
  return (
    <form action={action} onSubmit={stale} className="mt-3 space-y-2">
      <FormField label="PEM certificate or its thumbprint" name="certificate" error={fieldError(state, "certificate")}>
        {(props) => (
          <textarea {...props} rows={5} className={`${inputClass} font-mono`} defaultValue={keptValue(state, "certificate")} placeholder="-----BEGIN CERTIFICATE-----" required />
        )}
      </FormField>
      <FormAlert message={state.formError} />
      <button type="submit" className={buttonClass} disabled={pending}>
        Register certificate
      </button>
    </form>
  );
}
