import assert from "node:assert/strict";
import { GROUP, PLURAL } from "../../../src/api/constants.ts";
import { KUBE_API_CALLS } from "../../../src/kube/api_calls.ts";
import { installObjects, type Manifest, only } from "./_install_yaml.ts";

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
type Grant = "ClusterRole" | "Role";

const rulesOf = (role: Manifest) => (role.rules ?? []) as Rule[];

/** Every "group/resource[/sub] verb" a set of rules grants, one string each. */
function granted(rules: readonly Rule[]): Set<string> {
  const out = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs) out.add(`${group}/${resource} ${verb}`);
      }
    }
  }
  return out;
}

/** The same strings for what KUBE_API_CALLS says the operator needs from `grant`. */
function needed(grant: Grant): Set<string> {
  return new Set(
    KUBE_API_CALLS.filter((call) => call.grantedBy === grant).flatMap((call) =>
      call.verbs.map((verb) =>
        `${call.group}/${call.resource}${call.subresource ? `/${call.subresource}` : ""} ${verb}`
      )
    ),
  );
}

/** The roles bound to the operator's service account, by binding kind. */
async function operatorRoles() {
  const objects = await installObjects();
  const deployment = only(objects, "Deployment");
  const pod = (deployment.spec as { template: { spec: { serviceAccountName: string } } })
    .template.spec;
  const account = only(objects, "ServiceAccount", pod.serviceAccountName);
  const namespace = account.metadata.namespace;
  const boundTo = (binding: Manifest) =>
    (binding.subjects as Subject[]).some((s) =>
      s.kind === "ServiceAccount" && s.name === account.metadata.name && s.namespace === namespace
    );
  const roleOf = (binding: Manifest) => {
    const ref = binding.roleRef as { kind: string; name: string };
    const kind = ref.kind;
    return only(
      objects.filter((o) => kind === "ClusterRole" || o.metadata.namespace === namespace),
      kind,
      ref.name,
    );
  };
  const clusterBindings = objects.filter((o) => o.kind === "ClusterRoleBinding" && boundTo(o));
  const roleBindings = objects.filter((o) => o.kind === "RoleBinding" && boundTo(o));
  for (const binding of roleBindings) {
    assert.equal(
      binding.metadata.namespace,
      namespace,
      "RoleBinding outside the operator namespace",
    );
  }
  return {
    objects,
    namespace,
    clusterRoles: clusterBindings.map(roleOf),
    // A RoleBinding may also reference a ClusterRole: its rules then apply in that namespace only.
    roles: roleBindings.map(roleOf),
  };
}

Deno.test("the operator's ClusterRole grants exactly the cluster-wide calls of KUBE_API_CALLS", async () => {
  const { clusterRoles } = await operatorRoles();
  assert.deepEqual(clusterRoles.map((r) => r.metadata.name), ["oci-lb-registrar"]);
  const rules = clusterRoles.flatMap(rulesOf);
  assert.deepEqual([...granted(rules)].sort(), [...needed("ClusterRole")].sort());
});

Deno.test("the operator's Role grants exactly the namespaced calls of KUBE_API_CALLS in its namespace", async () => {
  const { roles, namespace } = await operatorRoles();
  assert.ok(roles.length > 0, "no Role is bound to the operator");
  for (const role of roles) assert.equal(role.metadata.namespace, namespace);
  const rules = roles.flatMap(rulesOf);
  assert.deepEqual([...granted(rules)].sort(), [...needed("Role")].sort());
});

Deno.test("the operator's roles use no wildcard, resourceNames or nonResourceURLs", async () => {
  const { clusterRoles, roles } = await operatorRoles();
  for (const rule of [...clusterRoles, ...roles].flatMap(rulesOf)) {
    const values = [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs];
    assert.equal(values.includes("*"), false, JSON.stringify(rule));
    assert.equal(rule.nonResourceURLs, undefined, JSON.stringify(rule));
    assert.equal(rule.resourceNames, undefined, JSON.stringify(rule));
  }
});

Deno.test("no ClusterRole in install.yaml grants anything on secrets", async () => {
  const { objects } = await operatorRoles();
  const clusterRoles = objects.filter((o) => o.kind === "ClusterRole");
  assert.ok(clusterRoles.length >= 3);
  for (const role of clusterRoles) {
    for (const rule of rulesOf(role)) {
      const core = (rule.apiGroups ?? []).some((g) => g === "" || g === "*");
      const secrets = (rule.resources ?? []).some((r) => r === "secrets" || r === "*");
      assert.equal(core && secrets, false, `${role.metadata.name} grants secrets`);
    }
  }
});

Deno.test("the LBRegistrar editor and viewer roles touch only LBRegistrars, the viewer read-only", async () => {
  const { objects } = await operatorRoles();
  const text = await Deno.readTextFile(new URL("../../../deploy/install.yaml", import.meta.url));
  const roles = {
    editor: only(objects, "ClusterRole", "oci-lb-registrar-lbregistrar-editor"),
    viewer: only(objects, "ClusterRole", "oci-lb-registrar-lbregistrar-viewer"),
  };
  for (const role of Object.values(roles)) {
    for (const line of granted(rulesOf(role))) {
      assert.match(line, new RegExp(`^${GROUP.replaceAll(".", "\\.")}/${PLURAL}(/status)? `));
    }
    // Not aggregated into the built-in roles: granting them stays a deliberate act.
    assert.equal(
      Object.keys(role.metadata.labels ?? {}).some((l) =>
        l.startsWith("rbac.authorization.k8s.io/")
      ),
      false,
    );
  }
  assert.ok(granted(rulesOf(roles.editor)).has(`${GROUP}/${PLURAL} create`));
  for (const line of granted(rulesOf(roles.viewer))) {
    assert.match(line, / (get|list|watch)$/, line);
  }
  // The warning travels with the role into install.yaml.
  const editorAt = text.indexOf("name: oci-lb-registrar-lbregistrar-editor");
  const warning = text.lastIndexOf("PRIVILEGED: LBRegistrar edit rights", editorAt);
  assert.ok(warning > text.lastIndexOf("\n---\n", editorAt), "editor role lost its warning");
});
