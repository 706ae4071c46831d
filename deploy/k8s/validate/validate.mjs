// Validates the manifests in deploy/k8s without a cluster or network:
//   cd deploy/k8s/validate && npm ci && node validate.mjs
// - every YAML document parses and validates against the Kubernetes OpenAPI schema of its
//   apiVersion/kind (the models of the npm package kubernetes-models);
// - strict keys: a field the schema does not know is an error (the schemas allow unknown fields,
//   the API server drops them silently, so a misspelt `readinesProbe` would otherwise pass);
// - kustomizations and components list files that exist, and only known fields;
// - strategic-merge patches of a component are checked for unknown fields (they are partial
//   objects, so required fields are not asked for);
// - custom resources without a model here (the Prometheus operator's ServiceMonitor) are checked
//   against the fields of their own small table below.
// Prints one line per document and exits with 1 on the first file with errors (all are listed).
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
// node validate.mjs [--allow-missing-generated] [DIR]: the flag turns a missing configMapGenerator
// file into a warning (the Grafana dashboard is written on its own)
const cli = process.argv.slice(2);
const allowMissingGenerated = cli.includes("--allow-missing-generated");
const root = resolve(cli.find((a) => !a.startsWith("--")) ?? join(here, ".."));
const errors = [];
let checked = 0;

function fail(file, msg) {
    errors.push(`${relative(root, file)}: ${msg}`);
}

function yamlFiles(dir) {
    const out = [];
    for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (name === "node_modules" || name === "validate") {
            continue;
        }
        if (statSync(p).isDirectory()) {
            out.push(...yamlFiles(p));
        } else if (/\.ya?ml$/.test(name)) {
            out.push(p);
        }
    }
    return out;
}

/** The module of kubernetes-models holding the models of an apiVersion. */
function modelModule(apiVersion) {
    return `kubernetes-models/${apiVersion}`; // core "v1" is kubernetes-models/v1, "apps/v1" .../apps/v1
}

/**
 * Runs the model's validator over a proxy that records which fields it reads; the generated
 * validators read every field their schema defines (and every key of a map), so a field never read
 * is one the schema does not know.
 */
function unknownFields(validate, doc) {
    const read = new WeakMap(); // target object -> set of keys read
    const proxies = new WeakMap();
    function wrap(value) {
        if (value === null || typeof value !== "object") {
            return value;
        }
        if (proxies.has(value)) {
            return proxies.get(value);
        }
        read.set(value, new Set());
        const p = new Proxy(value, {
            get(target, key, receiver) {
                if (typeof key === "string") {
                    read.get(target).add(key);
                }
                return wrap(Reflect.get(target, key, receiver));
            },
        });
        proxies.set(value, p);
        return p;
    }
    try {
        validate.call(wrap(doc));
    } catch {
        // schema errors are reported by the plain validation
    }
    const unknown = [];
    (function walk(value, path) {
        if (value === null || typeof value !== "object") {
            return;
        }
        if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${path}/${i}`));
            return;
        }
        const seen = read.get(value) ?? new Set();
        for (const key of Object.keys(value)) {
            if (!seen.has(key)) {
                unknown.push(`${path}/${key}`);
            } else {
                walk(value[key], `${path}/${key}`);
            }
        }
    })(doc, "");
    return unknown;
}

async function validateModel(file, doc, { partial }) {
    let module;
    try {
        module = await import(modelModule(doc.apiVersion));
    } catch {
        return false;
    }
    const Model = module[doc.kind];
    if (!Model) {
        return false;
    }
    if (!partial) {
        try {
            new Model(doc).validate();
        } catch (e) {
            fail(file, `${doc.kind} ${doc.metadata?.name}: ${e.message}`);
        }
    }
    for (const path of unknownFields(Model.prototype.validate, doc)) {
        fail(file, `${doc.kind} ${doc.metadata?.name}: unknown field ${path}`);
    }
    return true;
}

/** Fields of the few custom resources used here, as a tree of known keys ("*": a map). */
const CUSTOM = {
    "monitoring.coreos.com/v1/ServiceMonitor": {
        apiVersion: true, kind: true,
        metadata: { name: true, namespace: true, labels: { "*": true }, annotations: { "*": true } },
        spec: {
            jobLabel: true, targetLabels: true, podTargetLabels: true, sampleLimit: true,
            namespaceSelector: { any: true, matchNames: true },
            selector: { matchLabels: { "*": true }, matchExpressions: true },
            endpoints: [{
                port: true, targetPort: true, path: true, scheme: true, interval: true, scrapeTimeout: true,
                honorLabels: true, honorTimestamps: true, params: { "*": true }, relabelings: true,
                metricRelabelings: true, bearerTokenSecret: { name: true, key: true, optional: true },
                authorization: { type: true, credentials: { name: true, key: true, optional: true } },
                tlsConfig: true,
            }],
        },
        required: ["spec.selector", "spec.endpoints"],
    },
};

function checkTree(file, value, tree, path) {
    if (tree === true || value === null || typeof value !== "object") {
        return;
    }
    if (Array.isArray(tree)) {
        if (!Array.isArray(value)) {
            fail(file, `${path} must be a list`);
            return;
        }
        value.forEach((v, i) => checkTree(file, v, tree[0], `${path}/${i}`));
        return;
    }
    for (const [k, v] of Object.entries(value)) {
        const sub = tree[k] ?? tree["*"];
        if (sub === undefined) {
            fail(file, `unknown field ${path}/${k}`);
        } else {
            checkTree(file, v, sub, `${path}/${k}`);
        }
    }
}

function validateCustom(file, doc) {
    const spec = CUSTOM[`${doc.apiVersion}/${doc.kind}`];
    if (!spec) {
        return false;
    }
    const { required, ...tree } = spec;
    checkTree(file, doc, tree, "");
    for (const r of required) {
        if (r.split(".").reduce((v, k) => v?.[k], doc) === undefined) {
            fail(file, `${doc.kind} ${doc.metadata?.name}: missing ${r}`);
        }
    }
    for (const ep of doc.spec?.endpoints ?? []) {
        if (typeof ep.port !== "string") {
            fail(file, `${doc.kind}: an endpoint's port must be a Service port's name`);
        }
    }
    return true;
}

const KUSTOMIZE_KEYS = new Set(["apiVersion", "kind", "metadata", "resources", "components", "patches",
    "configMapGenerator", "secretGenerator", "generatorOptions", "labels", "commonLabels",
    "commonAnnotations", "namespace", "namePrefix", "nameSuffix", "images", "replicas"]);

/** Files a kustomization or component refers to; returns the patch files (partial objects). */
function checkKustomization(file, doc) {
    const dir = dirname(file);
    const patches = [];
    const expected = doc.kind === "Component"
        ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
    if (doc.apiVersion !== expected) {
        fail(file, `${doc.kind} must have apiVersion ${expected}, was ${doc.apiVersion}`);
    }
    for (const key of Object.keys(doc)) {
        if (!KUSTOMIZE_KEYS.has(key)) {
            fail(file, `unknown kustomization field ${key}`);
        }
    }
    const mustExist = (p, what) => {
        if (!existsSync(join(dir, p))) {
            fail(file, `${what} ${p} does not exist`);
        }
    };
    for (const r of doc.resources ?? []) {
        mustExist(r, "resource");
    }
    for (const c of doc.components ?? []) {
        mustExist(join(c, "kustomization.yaml"), "component");
    }
    for (const p of doc.patches ?? []) {
        mustExist(p.path, "patch");
        patches.push(resolve(dir, p.path));
    }
    for (const g of doc.configMapGenerator ?? []) {
        for (const f of g.files ?? []) {
            const path = f.includes("=") ? f.split("=")[1] : f;
            if (!existsSync(join(dir, path))) {
                const msg = `configMapGenerator ${g.name}: file ${path} does not exist`;
                if (allowMissingGenerated) {
                    console.log(`warning ${relative(root, file)}: ${msg}`);
                } else {
                    fail(file, msg);
                }
            } else if (path.endsWith(".json")) {
                try {
                    JSON.parse(readFileSync(join(dir, path), "utf8"));
                } catch (e) {
                    fail(file, `configMapGenerator ${g.name}: ${path} is not JSON: ${e.message}`);
                }
            }
        }
    }
    return patches;
}

const files = yamlFiles(root);
const docs = [];
for (const file of files) {
    for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
        if (d.errors.length > 0) {
            fail(file, `YAML: ${d.errors.map((e) => e.message).join("; ")}`);
            continue;
        }
        const doc = d.toJS();
        if (doc !== null) {
            docs.push({ file, doc });
        }
    }
}
const patchFiles = new Set();
for (const { file, doc } of docs) {
    if (doc.kind === "Kustomization" || doc.kind === "Component") {
        checkKustomization(file, doc).forEach((p) => patchFiles.add(p));
    }
}
for (const { file, doc } of docs) {
    if (doc.kind === "Kustomization" || doc.kind === "Component") {
        checked++;
        console.log(`ok ${relative(root, file)}: ${doc.kind}`);
        continue;
    }
    if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string") {
        fail(file, "a document without apiVersion and kind");
        continue;
    }
    const before = errors.length;
    const known = (await validateModel(file, doc, { partial: patchFiles.has(resolve(file)) }))
        || validateCustom(file, doc);
    if (!known) {
        fail(file, `no schema for ${doc.apiVersion} ${doc.kind}`);
    }
    checked++;
    if (errors.length === before) {
        console.log(`ok ${relative(root, file)}: ${doc.kind} ${doc.metadata?.name ?? ""}`
            + (patchFiles.has(resolve(file)) ? " (patch: fields only)" : ""));
    }
}
if (errors.length > 0) {
    console.error(errors.map((e) => `error ${e}`).join("\n"));
    process.exit(1);
}
console.log(`${checked} documents valid`);
