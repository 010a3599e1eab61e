"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { AppView, CredentialView, ProductView } from "@/lib/portal/views";
import { api } from "../api-client";
import { AppForm, type AppFormValues } from "./app-form";
import { handOverSecret } from "./issued-secret";

export function NewApp({ products }: { products: ProductView[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: AppFormValues) => api<{ app: AppView; credential: CredentialView & { clientSecret: string | null } }>("/apps", { method: "POST", body: values }),
    onSuccess: ({ app, credential }) => {
      void queryClient.invalidateQueries({ queryKey: ["/apps"] });
      if (credential.clientSecret) handOverSecret({ appId: app.id, clientId: credential.clientId, secret: credential.clientSecret });
      router.push(`/apps/${app.id}`);
    },
  });
  return <AppForm mode="create" products={products} submitting={create.isPending || create.isSuccess} error={create.error} onSubmit={(v) => create.mutate(v)} />;
}
