"use client";
// The form on an editor page (products, proxies; see editor-page.tsx): `initial` absent creates,
// present saves that one; after a save the admin is back on the kind's list, fetched afresh.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { api } from "../api-client";
import { buttonClass, ErrorNote } from "../ui/basics";
import { submitInPage } from "../ui/submit-in-page";

export function useSaveItem<T>(kind: "products" | "proxies", initial: { id: string } | undefined) {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: object) => (initial ? api<T>(`/${kind}/${initial.id}`, { method: "PATCH", body }) : api<T>(`/${kind}`, { method: "POST", body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [`/${kind}`] });
      router.push(`/admin/${kind}`);
      router.refresh();
    },
  });
}

/** The form's frame, named after its noun: the error above the fields, "Create {noun}" / "Save {noun}" under them. */
export function EditorForm({
  noun,
  editing,
  error,
  saving,
  onSubmit,
  children,
}: {
  noun: string;
  editing: boolean;
  error: unknown;
  saving: boolean;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form onSubmit={submitInPage(onSubmit)} className="grid gap-4 md:grid-cols-2" aria-label={noun[0].toUpperCase() + noun.slice(1)}>
      <div className="md:col-span-2">
        <ErrorNote error={error} />
      </div>
      {children}
      <div className="md:col-span-2">
        <button type="submit" className={buttonClass} disabled={saving}>
          {editing ? `Save ${noun}` : `Create ${noun}`}
        </button>
      </div>
    </form>
  );
}
