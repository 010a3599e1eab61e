import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CreateAppInput, UpdateAppInput } from "./apps.ts";
import { ClientCertificateInput } from "./client-certificates.ts";
import { PortalError } from "./errors.ts";
import { SignUpInput } from "./signup.ts";
import { parseInput } from "./validation.ts";

function fieldsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof PortalError && error.code === "invalid") return error.details?.fields ?? {};
    throw error;
  }
  throw new Error("expected the input to be refused");
}

const ZOD_WORDING = /expected|too small|too big|>=|<=|invalid input|nonoptional|received/i;

describe("validation messages are for people", () => {
  it("names the field and says what to do", () => {
    expect(fieldsOf(CreateAppInput, { name: "" })).toEqual({ name: "Enter a name." });
    expect(fieldsOf(CreateAppInput, { name: "x".repeat(81) })).toEqual({ name: "Name can be at most 80 characters." });
    expect(fieldsOf(CreateAppInput, {})).toEqual({ name: "Enter a name." });
    expect(fieldsOf(CreateAppInput, { name: 5 })).toEqual({ name: "Name must be text." });
    expect(fieldsOf(UpdateAppInput, { description: "d".repeat(1001) })).toEqual({ description: "Description can be at most 1000 characters." });
    expect(fieldsOf(CreateAppInput, { name: "a", type: "secret" })).toEqual({ type: 'Type must be one of "confidential", "public".' });
    expect(fieldsOf(CreateAppInput, { name: "a", products: Array.from({ length: 21 }, (_, i) => `p${i}`) })).toEqual({ products: "Products can have at most 20 entries." });
  });

  it("explains redirect URIs in words", () => {
    expect(fieldsOf(CreateAppInput, { name: "a", redirectUris: ["http://example.com/cb"] })).toEqual({
      "redirectUris.0": "Redirect URI must start with https:// (http:// only for localhost).",
    });
    expect(fieldsOf(CreateAppInput, { name: "a", redirectUris: ["javascript:alert(1)"] })["redirectUris.0"]).toBe("Redirect URI must not use the javascript: scheme.");
  });

  it("words the sign-up form's failures plainly", () => {
    const fields = fieldsOf(SignUpInput, { firstName: "", lastName: "", email: "nope", password: "short", acceptTerms: false });
    expect(fields).toEqual({
      firstName: "Enter your first name.",
      lastName: "Enter your last name.",
      email: "Enter a valid email address.",
      password: "Password must be at least 8 characters.",
      acceptTerms: "Accept the terms of use to create an account.",
    });
  });

  it("names unknown fields", () => {
    expect(fieldsOf(UpdateAppInput, { status: "active" })).toEqual({ status: '"status" is not a field here.' });
  });

  it("keeps the message a schema sets itself", () => {
    const fields = fieldsOf(ClientCertificateInput, { thumbprint: "abc" });
    expect(Object.values(fields).join(" ")).not.toMatch(ZOD_WORDING);
  });

  it("never passes zod's own wording on, for the common failures", () => {
    const inputs: [z.ZodType, unknown][] = [
      [CreateAppInput, { name: "" }],
      [CreateAppInput, { name: "x".repeat(200), description: 4, redirectUris: "x", products: [1] }],
      [CreateAppInput, null],
      [SignUpInput, {}],
      [SignUpInput, { firstName: "a".repeat(51), lastName: "b", email: "a@b", password: "p".repeat(101), acceptTerms: "yes" }],
      [z.object({ n: z.number().int().min(1).max(10), when: z.iso.datetime(), site: z.url() }), { n: 0.5, when: "soon", site: "nope" }],
      [z.object({ n: z.number().min(1) }), { n: 0 }],
      [z.object({ n: z.number().max(10) }), { n: 11 }],
    ];
    for (const [schema, input] of inputs) {
      let message = "";
      try {
        parseInput(schema, input);
      } catch (error) {
        message = [(error as PortalError).message, ...Object.values((error as PortalError).details?.fields ?? {})].join(" | ");
      }
      expect(message, JSON.stringify(input)).not.toBe("");
      expect(message, message).not.toMatch(ZOD_WORDING);
      expect(message).not.toContain("\u0000");
    }
  });

  it("gives the whole sentence list as the problem's title", () => {
    expect(() => parseInput(CreateAppInput, { name: "" })).toThrow("Enter a name.");
  });
});
