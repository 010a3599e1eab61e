"use client";
// Products: list (all, private included) and one form for create and edit.
import { useState } from "react";
import type { ProductView } from "@/lib/portal/views";
import { FieldError, inputClass, Options, StatusBadge } from "../ui/basics";
import { EditorForm, useSaveItem } from "./editor-form";
import { ManagedTable } from "./managed-table";

/** A product's row after its name. */
const productCells = (p: ProductView) => (
  <>
    <td className="font-mono">{p.slug}</td>
    <td>{p.approvalType}</td>
    <td>
      <StatusBadge status={p.visibility} />
    </td>
    <td className="font-mono">{p.scopes.join(" ")}</td>
    <td>{p.quotaLimit ? `${p.quotaLimit}/${p.quotaIntervalSeconds}s` : "—"}</td>
    <td>{p.accessTokenFormat}</td>
  </>
);

export function ProductTable() {
  return <ManagedTable kind="products" headers={["Product", "Slug", "Approval", "Visibility", "Scopes", "Quota", "Tokens"]} cells={productCells} />;
}

const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v));

/** "scope: words" per line, both ways (scope names may hold colons: the first ": " ends the name). */
const describedLines = (descriptions: Record<string, string>) =>
  Object.entries(descriptions)
    .map(([scope, words]) => `${scope}: ${words}`)
    .join("\n");
const parseDescribedLines = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => {
        const match = /^\s*(\S+?):\s+(.*)$/.exec(line);
        // an unreadable line is sent as a scope of its own, so the API names it
        return match ? [match[1]!, match[2]!.trim()] : [line.trim(), ""];
      }),
  );

export function ProductForm({ initial }: { initial?: ProductView }) {
  const [f, setF] = useState({
    slug: initial?.slug ?? "",
    name: initial?.name ?? "",
    description: initial?.description ?? "",
    scopes: initial?.scopes.join(" ") ?? "",
    scopeDescriptions: describedLines(initial?.scopeDescriptions ?? {}),
    approvalType: initial?.approvalType ?? "auto",
    visibility: initial?.visibility ?? "public",
    quotaLimit: initial?.quotaLimit?.toString() ?? "",
    quotaIntervalSeconds: initial?.quotaIntervalSeconds?.toString() ?? "",
    quotaWindow: initial?.quotaWindow ?? "rolling",
    accessTokenTtlSeconds: String(initial?.accessTokenTtlSeconds ?? 3600),
    refreshTokenTtlSeconds: String(initial?.refreshTokenTtlSeconds ?? 30 * 86400),
    refreshIdleTtlSeconds: String(initial?.refreshIdleTtlSeconds ?? 7 * 86400),
    credentialTtlSeconds: initial?.credentialTtlSeconds?.toString() ?? "",
    accessTokenFormat: initial?.accessTokenFormat ?? "opaque",
  });
  const [featured, setFeatured] = useState(initial?.featured ?? false);
  const save = useSaveItem<ProductView>("products", initial);
  const submit = () =>
    save.mutate({
      slug: f.slug,
      name: f.name,
      description: f.description,
      scopes: f.scopes.split(/\s+/).filter(Boolean),
      scopeDescriptions: parseDescribedLines(f.scopeDescriptions),
      approvalType: f.approvalType,
      visibility: f.visibility,
      quotaLimit: numberOrNull(f.quotaLimit),
      quotaIntervalSeconds: numberOrNull(f.quotaIntervalSeconds),
      quotaWindow: f.quotaWindow,
      accessTokenTtlSeconds: Number(f.accessTokenTtlSeconds),
      refreshTokenTtlSeconds: Number(f.refreshTokenTtlSeconds),
      refreshIdleTtlSeconds: Number(f.refreshIdleTtlSeconds),
      credentialTtlSeconds: numberOrNull(f.credentialTtlSeconds),
      accessTokenFormat: f.accessTokenFormat,
      featured,
    });
  const text = (key: keyof typeof f, label: string, props: Record<string, unknown> = {}) => (
    <label className="block text-sm font-medium">
      {label}
      <input className={inputClass} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })} {...props} />
      <FieldError error={save.error} field={key} />
    </label>
  );
  const choice = (key: keyof typeof f, label: string, options: string[]) => (
    <label className="block text-sm font-medium">
      {label}
      <select className={inputClass} value={f[key]} onChange={(e) => setF({ ...f, [key]: e.target.value })}>
        <Options options={options} />
      </select>
    </label>
  );
  return (
    <EditorForm noun="product" editing={!!initial} error={save.error} saving={save.isPending} onSubmit={submit}>
      {text("name", "Name", { required: true })}
      {text("slug", "Slug", { required: true, pattern: "[a-z0-9][a-z0-9-]*" })}
      <label className="block text-sm font-medium md:col-span-2">
        Description
        <textarea className={inputClass} rows={3} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      </label>
      {text("scopes", "Scopes (space-separated)")}
      <label className="block text-sm font-medium md:col-span-2">
        Scope descriptions, one per line as “scope: what it lets an app do” (end users read them before allowing an app)
        <textarea
          className={inputClass}
          rows={3}
          value={f.scopeDescriptions}
          placeholder="orders:read: See your orders"
          onChange={(e) => setF({ ...f, scopeDescriptions: e.target.value })}
        />
        <FieldError error={save.error} field="scopeDescriptions" />
      </label>
      {choice("approvalType", "Approval", ["auto", "manual"])}
      {choice("visibility", "Visibility", ["public", "private"])}
      {choice("quotaWindow", "Quota window", ["rolling", "calendar"])}
      {text("quotaLimit", "Quota: calls (empty = none)", { inputMode: "numeric" })}
      {text("quotaIntervalSeconds", "Quota: per seconds", { inputMode: "numeric" })}
      {text("accessTokenTtlSeconds", "Access token lifetime (s)", { inputMode: "numeric" })}
      {text("refreshTokenTtlSeconds", "Refresh token lifetime (s)", { inputMode: "numeric" })}
      {text("refreshIdleTtlSeconds", "Refresh idle timeout (s)", { inputMode: "numeric" })}
      {text("credentialTtlSeconds", "Credential expiry (s, empty = never)", { inputMode: "numeric" })}
      {choice("accessTokenFormat", "Access token format (jwt: RFC 9068, validated offline with /oauth/jwks)", ["opaque", "jwt"])}
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={featured} onChange={(e) => setFeatured(e.target.checked)} />
        Featured on the home page (public products only)
      </label>
    </EditorForm>
  );
}
