import { createElement as h, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { labelCells, labelRows } from "./labelled-cells";

describe("labelCells", () => {
  it("labels the cells of nested fragments by position, skips what is not rendered and keeps a label of its own", () => {
    const inner = h(Fragment, null, h("td", null, "b"), null, h("td", null, "c"));
    const cells = h(Fragment, null, h("td", null, "a"), inner, h("td", { "data-label": "own" }, "d"));
    const html = renderToStaticMarkup(h("tr", null, labelCells(cells, ["First", "Second", "Third", "Fourth"])));
    expect(html).toBe('<tr><td data-label="First">a</td><td data-label="Second">b</td><td data-label="Third">c</td><td data-label="own">d</td></tr>');
  });

  it("labels every row's cells and keeps the row's own attributes", () => {
    const rows = ["x", "y"].map((v) => h("tr", { key: v, "data-testid": v }, h("td", null, v), h("td", null)));
    const html = renderToStaticMarkup(h("tbody", null, labelRows(rows, ["Name", ""])));
    expect(html).toBe(
      '<tbody><tr data-testid="x"><td data-label="Name">x</td><td data-label=""></td></tr><tr data-testid="y"><td data-label="Name">y</td><td data-label=""></td></tr></tbody>',
    );
  });
});
