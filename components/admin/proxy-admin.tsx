"use client";
// Proxies: list, and one form for create and edit — base path, version, target URL, the policy
// chain as JSON, the OpenAPI document, and the products that include the proxy.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Page } from "../api-client";
import type { ProductView, ProxyView } from "@/lib/portal/views";
import { api } from "../api-client";
import { FieldError, inputClass, StatusBadge } from "../ui/basics";
import { EditorForm, useSaveItem } from "./editor-form";
import { ManagedTable } from "./managed-table";
import { POLICY_EXAMPLES, withStep } from "./policy-examples";

/** A proxy's row after its name. */
const proxyCells = (p: ProxyView) => (
  <>
    <td className="font-mono">
      /gateway/{p.basePath}/{p.version}
    </td>
    <td className="font-mono break-all">{p.targetUrl}</td>
    <td>{p.policies.length}</td>
    <td>
      <StatusBadge status={p.status} />
    </td>
  </>
);

export function ProxyTable() {
  return <ManagedTable kind="proxies" headers={["Proxy", "Gateway path", "Target", "Policies", "Status"]} cells={proxyCells} />;
}

export function ProxyForm({ initial }: { initial?: ProxyView }) {
  const products = useQuery({ queryKey: ["/products", "all"], queryFn: () => api<Page<ProductView>>("/products", { query: { limit: "100" } }) });
  const [f, setF] = useState({
    name: initial?.name ?? "",
    basePath: initial?.basePath ?? "",
    version: initial?.version ?? "v1",
    targetUrl: initial?.targetUrl ?? "",
    idTokenMode: initial?.idTokenMode ?? "none",
    status: initial?.status ?? "active",
    caseSensitivePaths: initial?.caseSensitivePaths ?? false,
    methodOverride: initial?.methodOverride ?? "strip",
    policies: JSON.stringify(initial?.policies ?? [], null, 2),
    openApiSpec: initial?.openApiSpec ?? "",
  });
  const [productIds, setProductIds] = useState<string[]>(initial?.products?.map((p) => p.id) ?? []);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const save = useSaveItem<ProxyView>("proxies", initial);
  const submit = () => {
    let policies: unknown;
    try {
      policies = JSON.parse(f.policies || "[]");
    } catch (error) {
      setJsonError(`The policy chain is not valid JSON: ${(error as Error).message}`);
      return;
    }
    setJsonError(null);
    save.mutate({ ...f, policies, openApiSpec: f.openApiSpec.trim() ? f.openApiSpec : null, productIds });
  };
  const text = (key: "name" | "basePath" | "version" | "targetUrl", label: string) => (
    <label className="block text-sm font-medium">
      {label}
      <input className={inputClass} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })} required />
      <FieldError error={save.error} field={key} />
    </label>
  );
  return (
    <EditorForm noun="proxy" editing={!!initial} error={jsonError ? new Error(jsonError) : save.error} saving={save.isPending} onSubmit={submit}>
      {text("name", "Name")}
      {text("targetUrl", "Target URL")}
      {text("basePath", "Base path (after /gateway/)")}
      {text("version", "Version")}
      <label className="block text-sm font-medium">
        ID token to backend
        <select className={inputClass} value={f.idTokenMode} onChange={(e) => setF({ ...f, idTokenMode: e.target.value })}>
          <option value="none">none</option>
          <option value="claims">claims as headers</option>
          <option value="whole">whole token</option>
        </select>
      </label>
      <label className="block text-sm font-medium">
        Status
        <select className={inputClass} value={f.status} onChange={(e) => setF({ ...f, status: e.target.value })}>
          <option value="active">active</option>
          <option value="disabled">disabled</option>
        </select>
      </label>
      <label className="block text-sm font-medium">
        Method override headers (X-HTTP-Method-Override…)
        <select className={inputClass} value={f.methodOverride} onChange={(e) => setF({ ...f, methodOverride: e.target.value })}>
          <option value="strip">strip before the backend</option>
          <option value="honour">honour on POST (judged as the method)</option>
        </select>
      </label>
      <label className="flex items-center gap-2 self-end text-sm font-medium">
        <input type="checkbox" checked={f.caseSensitivePaths} onChange={(e) => setF({ ...f, caseSensitivePaths: e.target.checked })} />
        Path rules are case-sensitive (the backend tells /Admin from /admin)
      </label>
      <label className="block text-sm font-medium md:col-span-2">
        Policy chain (JSON: [{`{"policy": "…", "config": {…}}`}])
        <textarea className={`${inputClass} font-mono`} rows={8} value={f.policies} onChange={(e) => setF({ ...f, policies: e.target.value })} />
        <FieldError error={save.error} field="policies" />
      </label>
      <details className="text-sm md:col-span-2">
        <summary className="cursor-pointer font-medium">Examples: response cache, transform</summary>
        <ul className="mt-2 space-y-2">
          {POLICY_EXAMPLES.map((example) => (
            <li key={example.label}>
              <button type="button" className="underline" onClick={() => setF({ ...f, policies: withStep(f.policies, example.step) })}>
                Add: {example.label}
              </button>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">{JSON.stringify(example.step, null, 2)}</pre>
            </li>
          ))}
        </ul>
      </details>
      <label className="block text-sm font-medium md:col-span-2">
        OpenAPI document (JSON or YAML)
        <textarea className={`${inputClass} font-mono`} rows={8} value={f.openApiSpec} onChange={(e) => setF({ ...f, openApiSpec: e.target.value })} />
        <FieldError error={save.error} field="openApiSpec" />
      </label>
      <fieldset className="text-sm md:col-span-2">
        <legend className="font-medium">In products</legend>
        {products.data?.items.map((p) => (
          <label key={p.id} className="mr-4 inline-flex items-center gap-2">
            <input
              type="checkbox"
              checked={productIds.includes(p.id)}
              onChange={(e) => setProductIds(e.target.checked ? [...productIds, p.id] : productIds.filter((id) => id !== p.id))}
            />
            {p.name}
          </label>
        ))}
        <FieldError error={save.error} field="productIds" />
      </fieldset>
    </EditorForm>
  );
}
