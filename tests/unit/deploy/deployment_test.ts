import assert from "node:assert/strict";
import { installObjects, only } from "./_install_yaml.ts";

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args: string[];
  env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes?: { name: string; emptyDir?: unknown }[];
  hostNetwork?: boolean;
}

async function operator() {
  const objects = await installObjects();
  const deployment = only(objects, "Deployment");
  const template = (deployment.spec as {
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  }).template;
  const [container] = template.spec.containers;
  assert.ok(container && template.spec.containers.length === 1);
  return { objects, labels: template.metadata.labels, pod: template.spec, container };
}

/** The container port a probe or Service names, by name or number. */
function portNumber(container: Container, port: string | number): number | undefined {
  return typeof port === "number"
    ? container.ports.find((p) => p.containerPort === port)?.containerPort
    : container.ports.find((p) => p.name === port)?.containerPort;
}

Deno.test("the operator pod runs as 65532, non-root, with RuntimeDefault seccomp and its token mounted", async () => {
  const { pod, objects } = await operator();
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.runAsUser, 65532);
  assert.equal(pod.securityContext.runAsGroup, 65532);
  assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
  assert.equal(pod.automountServiceAccountToken, true);
  assert.equal(pod.hostNetwork, undefined);
  assert.ok(only(objects, "ServiceAccount", pod.serviceAccountName));
});

Deno.test("the operator container has a read-only root, no privilege escalation and no capabilities", async () => {
  const { container, pod } = await operator();
  assert.deepEqual(container.securityContext, {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  });
  // The only writable place is an emptyDir at /tmp.
  assert.deepEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
  assert.ok(pod.volumes?.find((v) => v.name === "tmp")?.emptyDir);
});

Deno.test("the operator runs with --leader-elect and reads Secrets only in its own namespace by default", async () => {
  const { container } = await operator();
  assert.equal(container.args[0], "run");
  assert.ok(container.args.includes("--leader-elect"));
  assert.ok(container.args.includes("--secret-namespaces=$(POD_NAMESPACE)"));
  const fieldOf = (name: string) =>
    container.env?.find((e) => e.name === name)?.valueFrom?.fieldRef?.fieldPath;
  assert.equal(fieldOf("POD_NAMESPACE"), "metadata.namespace");
  assert.equal(fieldOf("POD_NAME"), "metadata.name");
});

Deno.test("the probes hit /healthz and /readyz on the --health-addr port, 8081", async () => {
  const { container } = await operator();
  assert.ok(container.args.includes("--health-addr=:8081"));
  assert.equal(container.livenessProbe.httpGet.path, "/healthz");
  assert.equal(container.readinessProbe.httpGet.path, "/readyz");
  assert.equal(portNumber(container, container.livenessProbe.httpGet.port), 8081);
  assert.equal(portNumber(container, container.readinessProbe.httpGet.port), 8081);
});

Deno.test("the metrics Service reaches a container port that exists and --metrics-addr listens on", async () => {
  const { objects, labels, container } = await operator();
  assert.ok(container.args.includes("--metrics-addr=:8080"));
  const service = only(objects, "Service");
  const spec = service.spec as {
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: string | number }[];
  };
  for (const [label, value] of Object.entries(spec.selector)) assert.equal(labels[label], value);
  const [port] = spec.ports;
  assert.equal(port?.name, "metrics");
  assert.equal(port.port, 8080);
  assert.equal(portNumber(container, port.targetPort), 8080);
});

Deno.test("the operator container sets CPU and memory requests and limits", async () => {
  const { container } = await operator();
  for (const kind of ["requests", "limits"] as const) {
    assert.ok(container.resources[kind]?.cpu, `${kind}.cpu`);
    assert.ok(container.resources[kind]?.memory, `${kind}.memory`);
  }
});
