"use client";
// Where the developer is signed in, and "Sign out everywhere": every portal session ends on the
// server (a copied cookie stops working too), then this browser signs out of Okta as well.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { api } from "../api-client";
import { dangerButtonClass, ErrorNote, formatDate } from "../ui/basics";

interface SessionRow {
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export function AccountSessions() {
  const sessions = useQuery({ queryKey: ["/me/sessions"], queryFn: () => api<{ items: SessionRow[] }>("/me/sessions") });
  const signOutForm = useRef<HTMLFormElement>(null);
  const everywhere = useMutation({
    mutationFn: () => api<{ revoked: number }>("/me/sessions", { method: "DELETE" }),
    onSuccess: () => signOutForm.current?.submit(),
  });
  return (
    <div className="space-y-4 text-sm">
      {sessions.isPending ? <p className="text-slate-500">Loading…</p> : null}
      <ul className="space-y-2" data-testid="session-list">
        {sessions.data?.items.map((s) => (
          <li key={s.createdAt + (s.userAgent ?? "")} className="rounded border border-slate-200 px-3 py-2">
            <span className="font-medium">{s.userAgent ?? "unknown browser"}</span>
            <span className="block text-slate-500">
              from {s.ip ?? "unknown address"} · signed in {formatDate(s.createdAt)} · until {formatDate(s.expiresAt)}
            </span>
          </li>
        ))}
      </ul>
      <ErrorNote error={everywhere.error ?? sessions.error} />
      <button type="button" className={dangerButtonClass} disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
        Sign out everywhere
      </button>
      <form ref={signOutForm} method="post" action="/auth/signout" hidden />
    </div>
  );
}
