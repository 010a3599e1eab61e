"use client";
// Products: list (all, private included) and one form for create and edit.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { ProductView } from "@/lib/portal/views";
import { api } from "../api-client";
import { buttonClass, ErrorNote, FieldError, inputClass, StatusBadge } from "../ui/basics";
import { ManagedTable } from "./managed-table";

export function ProductTable() {
  const headers = ["Product", "Slug", "Approval", "Visibility", "Scopes", "Quota", "Tokens"];
  return (
    <ManagedTable<ProductView>
      kind="products"
      empty="No products yet."
      headers={headers}
      cells={(p) => (
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
      )}
    />
  );
}

const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v));

export function ProductForm({ initial }: { initial?: ProductView }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [f, setF] = useState({
    slug: initial?.slug ?? "",
    name: initial?.name ?? "",
    description: initial?.description ?? "",
    scopes: initial?.scopes.join(" ") ?? "",
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
  const save = useMutation({
    mutationFn: () => {
      const body = {
        slug: f.slug,
        name: f.name,
        description: f.description,
        scopes: f.scopes.split(/\s+/).filter(Boolean),
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
      };
      return initial ? api<ProductView>(`/products/${initial.id}`, { method: "PATCH", body }) : api<ProductView>("/products", { method: "POST", body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["/products"] });
      router.push("/admin/products");
      router.refresh();
    },
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
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="grid gap-4 md:grid-cols-2" aria-label="Product">
      <div className="md:col-span-2">
        <ErrorNote error={save.error} />
      </div>
      {text("name", "Name", { required: true })}
      {text("slug", "Slug", { required: true, pattern: "[a-z0-9][a-z0-9-]*" })}
      <label className="block text-sm font-medium md:col-span-2">
        Description
        <textarea className={inputClass} rows={3} value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      </label>
      {text("scopes", "Scopes (space-separated)")}
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
      <div className="md:col-span-2">
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          {initial ? "Save product" : "Create product"}
        </button>
      </div>
    </form>
  );
}
