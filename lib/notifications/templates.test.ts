import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "./catalogue.ts";
import { renderEmail, renderEvent } from "./templates.ts";

const PUBLIC = "https://portal.example.com";

describe("notification templates", () => {
  it("has words for every event type, with an absolute link", () => {
    for (const type of EVENT_TYPES) {
      const email = renderEmail(type, { appId: "app1", appName: "Weather", productName: "Forecasts", acceptUrl: `${PUBLIC}/teams/invitations/abc` }, PUBLIC);
      expect(email.subject.length, type).toBeGreaterThan(5);
      expect(email.text, type).toContain(email.body);
      expect(email.link, type).toMatch(/^https:\/\/portal\.example\.com\//);
      expect(email.html, type).toContain(`href="${email.link}"`);
    }
  });

  it("escapes everything taken from the payload in the HTML", () => {
    const email = renderEmail("app.revoked", { appName: `<script>alert("x")</script>`, reason: `a & b' <img src=x onerror=1>` }, PUBLIC);
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.html).toContain("a &amp; b&#39; &lt;img src=x onerror=1&gt;");
    // the plain text keeps the words as they are: it is not HTML
    expect(email.text).toContain(`<script>alert("x")</script>`);
  });

  it("links a team invitation to its accept URL, and never to another origin", () => {
    const invited = renderEmail("team.invitation", { teamName: "Platform", inviterName: "Ada", role: "admin", acceptUrl: `${PUBLIC}/teams/invitations/tok123` }, PUBLIC);
    expect(invited.link).toBe(`${PUBLIC}/teams/invitations/tok123`);
    expect(invited.text).toContain(`Accept the invitation: ${PUBLIC}/teams/invitations/tok123`);
    expect(invited.html).toContain(`<a href="${PUBLIC}/teams/invitations/tok123">Accept the invitation</a>`);
    expect(renderEvent("team.invitation", { acceptUrl: "https://evil.example/phish" }, PUBLIC).link).toBeNull();
    expect(renderEvent("team.invitation", { acceptUrl: "javascript:alert(1)" }, PUBLIC).link).toBeNull();
  });

  it("builds links from ids safely", () => {
    expect(renderEvent("subscription.approved", { appId: "a/../../admin" }, PUBLIC).link).toBe(`${PUBLIC}/apps/a%2F..%2F..%2Fadmin`);
  });
});
