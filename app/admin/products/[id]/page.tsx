import type { Metadata } from "next";
import { editorPage } from "@/components/admin/editor-page";
import { ProductForm } from "@/components/admin/product-admin";
import { getProduct } from "@/lib/portal/products";

export const metadata: Metadata = { title: "Product" };

export default editorPage("products", "product", getProduct, ProductForm);
