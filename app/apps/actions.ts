"use server";
// The developer's app forms (create, edit, delete, credentials, client certificate) as server
// actions: each calls the same lib/portal function its /api/v1 route calls, so the rules live
// in one place, and each works as a plain form post before the page's JavaScript has loaded.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actingDeveloper, failedForm, lines, text } from "@/lib/auth/form-actions";
import type { FormState } from "@/lib/auth/form-state";
import { keepIssuedSecret } from "@/lib/auth/issued-secret";
import { createApp, deleteApp, updateApp } from "@/lib/portal/apps";
import { removeClientCertificate, setClientCertificate } from "@/lib/portal/client-certificates";
import { addCredential, renewCredential, revokeCredential, updateCredentialRestrictions } from "@/lib/portal/credentials";

function appValues(form: FormData) {
  return {
    name: text(form, "name"),
    description: text(form, "description"),
    type: text(form, "type"),
    redirectUris: text(form, "redirectUris"),
    products: form.getAll("products").filter((p): p is string => typeof p === "string"),
    teamId: text(form, "teamId"),
  };
}

export async function createAppAction(_previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper("/apps/new");
  const values = appValues(form);
  let appId: string;
  try {
    const { app, credential } = await createApp(ctx, actor, {
      name: values.name,
      description: values.description,
      type: values.type || undefined,
      redirectUris: lines(values.redirectUris),
      products: values.products,
      teamId: values.teamId || null,
    });
    appId = app.id;
    if (credential.clientSecret) await keepIssuedSecret(ctx, app.id, { clientId: credential.clientId, secret: credential.clientSecret });
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath("/apps");
  redirect(`/apps/${appId}`);
}

export async function updateAppAction(appId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  const values = appValues(form);
  try {
    await updateApp(ctx, actor, appId, { name: values.name, description: values.description, redirectUris: lines(values.redirectUris), products: values.products });
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath("/apps");
  redirect(`/apps/${appId}`);
}

export async function deleteAppAction(appId: string): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  try {
    await deleteApp(ctx, actor, appId);
  } catch (error) {
    return failedForm(error);
  }
  revalidatePath("/apps");
  redirect("/apps");
}

export async function addCredentialAction(appId: string): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  try {
    const credential = await addCredential(ctx, actor, appId);
    if (credential.clientSecret) await keepIssuedSecret(ctx, appId, { clientId: credential.clientId, secret: credential.clientSecret });
  } catch (error) {
    return failedForm(error);
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}

export async function revokeCredentialAction(appId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  try {
    await revokeCredential(ctx, actor, appId, text(form, "credentialId"));
  } catch (error) {
    return failedForm(error);
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}

export async function renewCredentialAction(appId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  const graceDays = text(form, "graceDays").trim();
  try {
    const { credential } = await renewCredential(ctx, actor, appId, text(form, "credentialId"), { graceDays: graceDays === "" ? undefined : graceDays });
    if (credential.clientSecret) await keepIssuedSecret(ctx, appId, { clientId: credential.clientId, secret: credential.clientSecret });
  } catch (error) {
    return failedForm(error, { graceDays });
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}

export async function restrictCredentialAction(appId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  const allowedReferrers = text(form, "allowedReferrers");
  const allowedCidrs = text(form, "allowedCidrs");
  try {
    await updateCredentialRestrictions(ctx, actor, appId, text(form, "credentialId"), { allowedReferrers: lines(allowedReferrers), allowedCidrs: lines(allowedCidrs) });
  } catch (error) {
    return failedForm(error, { allowedReferrers, allowedCidrs });
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}

const CERTIFICATE_HINT = "Paste one PEM certificate (-----BEGIN CERTIFICATE-----) or its SHA-256 thumbprint (43 characters, base64url).";

export async function setClientCertificateAction(appId: string, _previous: FormState, form: FormData): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  const value = text(form, "certificate").trim();
  if (!value) return { fieldErrors: { certificate: CERTIFICATE_HINT }, formError: CERTIFICATE_HINT };
  try {
    await setClientCertificate(ctx, actor, appId, value.startsWith("-----BEGIN") ? { certificate: value } : { thumbprint: value });
  } catch (error) {
    const state = failedForm(error, { certificate: value });
    // A malformed thumbprint fails both shapes the API accepts; say what the field takes.
    return state.fieldErrors && !state.fieldErrors.certificate ? { ...state, fieldErrors: { certificate: CERTIFICATE_HINT }, formError: CERTIFICATE_HINT } : state;
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}

export async function removeClientCertificateAction(appId: string): Promise<FormState> {
  const { ctx, actor } = await actingDeveloper(`/apps/${appId}`);
  try {
    await removeClientCertificate(ctx, actor, appId);
  } catch (error) {
    return failedForm(error);
  }
  revalidatePath(`/apps/${appId}`);
  redirect(`/apps/${appId}`);
}
