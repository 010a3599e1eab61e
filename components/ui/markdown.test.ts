import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown.tsx";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, null, source));

describe("Markdown", () => {
  it("renders GitHub-flavoured Markdown, headings from h2", () => {
    const html = render(
      "# Start\n\nSome **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n[docs](https://example.com/docs) [here](/catalog) [mail](mailto:a@example.com)",
    );
    expect(html).toContain("<h2");
    expect(html).not.toContain("<h1");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<table");
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('href="/catalog"');
    expect(html).toContain('href="mailto:a@example.com"');
  });

  it("drops raw HTML: no script, no event handlers, no iframes", () => {
    const html = render('Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://evil.example"></iframe>\n\n<div onclick="x()">div</div>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/onclick/i);
    expect(html).toContain("Hello");
  });

  it("keeps javascript:, data: and vbscript: URLs out of links and images", () => {
    const html = render(
      "[click](javascript:alert(1)) [x](JaVaScRiPt:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox) ![i](javascript:alert(3)) <javascript:alert(4)>",
    );
    const urls = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    expect(html).not.toMatch(/(href|src)="[^"]*script:/i);
    expect(html).toContain(">click</a>");
  });
});
