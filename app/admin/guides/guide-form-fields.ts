import { field } from "@/lib/api/form-route";

/** The guide editor's fields as the API's input (a checkbox is absent when unticked). */
export function guideFromForm(form: FormData) {
  const position = Number(field(form, "position") || "0");
  return {
    title: field(form, "title"),
    slug: field(form, "slug").trim(),
    body: field(form, "body").replace(/\r\n/g, "\n"),
    productId: field(form, "productId") || null,
    position: Number.isFinite(position) ? position : -1,
    published: form.get("published") === "on",
  };
}
