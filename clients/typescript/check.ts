// What a front-end team writes first, against the TypeScript types generated from
// openapi/openapi.json (openapi-typescript) and openapi-fetch: it must compile under
// `tsc --strict` with no casts, and run against a live demo instance (.ci/clients). It logs
// in, pages through every official passing each to a function typed with the record type,
// reads the 2019 ward report's `dimensions.education` and downloads the same report as CSV.
//
//     CADRE_URL=http://127.0.0.1:8080 CADRE_ADMIN_PASSWORD=… node dist/check.js

import createClient from "openapi-fetch";

import type { components, paths } from "./generated/schema.js";

type Official = components["schemas"]["Official"];
type LevelCount = components["schemas"]["LevelCount"];
type Level = components["schemas"]["Level"];

const WARD = "VP-PY-PT"; // Phường Phúc Thắng, whose 2019 figures the demo reproduces
const AS_OF = "2019-05-30";
const PAGE = 10; // small, so that the demo's officials take several pages

function describe(official: Official): string {
  return `${official.code} ${official.full_name}: ${official.education}`;
}

function level(levels: LevelCount[], code: Level): LevelCount {
  const found = levels.find((count) => count.level === code);
  if (found === undefined) throw new Error(`no ${code} in ${JSON.stringify(levels)}`);
  return found;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

const baseUrl = process.env["CADRE_URL"];
const password = process.env["CADRE_ADMIN_PASSWORD"];
if (baseUrl === undefined || password === undefined) throw new Error("set CADRE_URL and CADRE_ADMIN_PASSWORD");

const anonymous = createClient<paths>({ baseUrl });
const login = await anonymous.POST("/api/v1/auth/login", { body: { username: "admin", password } });
if (login.data === undefined) throw new Error(`login: ${JSON.stringify(login.error)}`);
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${login.data.access_token}` } });

// Every official, page after page, each page from where the last one's `next` says.
const officials: Official[] = [];
let cursor: string | undefined;
let total: number | undefined;
for (;;) {
  const query = cursor === undefined ? { limit: PAGE } : { limit: PAGE, cursor };
  const page = await client.GET("/api/v1/officials", { params: { query } });
  if (page.data === undefined) throw new Error(`officials: ${JSON.stringify(page.error)}`);
  total ??= page.data.total;
  officials.push(...page.data.items);
  if (page.data.next === null) {
    check(officials.length === total, `${officials.length} of ${total} officials`);
    break;
  }
  cursor = page.data.next;
}
const lines = officials.map(describe);
check(lines.length > 2 * PAGE, `${lines.length} officials`);

const units = await client.GET("/api/v1/units", { params: { query: { limit: 500 } } });
if (units.data === undefined) throw new Error(`units: ${JSON.stringify(units.error)}`);
const ward = units.data.items.find((unit) => unit.code === WARD);
if (ward === undefined) throw new Error(`no unit ${WARD}`);

const cadres: components["schemas"]["Category"] = "cadre";
const query = { unit_id: ward.id, as_of: AS_OF, category: cadres };
const report = await client.GET("/api/v1/reports/qualifications", { params: { query } });
if (report.data === undefined) throw new Error(`report: ${JSON.stringify(report.error)}`);
const education = report.data.dimensions.education;
check(report.data.headcount === 11, `headcount ${report.data.headcount}`);
check(education.reduce((sum, count) => sum + count.count, 0) === report.data.headcount, "education adds up");
const university = level(education, "university");
check(university.at_least === 10 && university.share === "10/11", JSON.stringify(university));

const download = await client.GET("/api/v1/reports/qualifications/download", {
  params: { query: { ...query, format: "csv", labels: "codes" } },
  parseAs: "text",
});
if (download.data === undefined) throw new Error(`download: ${JSON.stringify(download.error)}`);
check(download.response.headers.get("content-type") === "text/csv; charset=utf-8", "a CSV");
check(
  (download.response.headers.get("content-disposition") ?? "").startsWith("attachment;"),
  "offered as an attachment",
);
const header = download.data.replace(/^\uFEFF/, "").split("\r\n", 1)[0] ?? "";
check(header.startsWith("unit_id,unit_name,as_of,category,dimension,level,count,at_least,headcount,percent"), header);

console.log(`typescript client: ${officials.length} officials paged, ${WARD} education ${university.share}`);
