/**
 * A minimal LBRegistrar CRD the simulator installs by default: names, scope, status subresource and
 * the printer columns of DESIGN §3, with an open schema. Tests that need the real validation pass
 * the CRD from `crds/` instead.
 */

import { GROUP, KIND, PLURAL, SHORT_NAME, VERSION } from "../../api/constants.ts";
import type { KubeObject } from "./resource_type.ts";

/** The default LBRegistrar CRD object. */
export function lbRegistrarCrd(): KubeObject {
  const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: "Cluster",
      names: {
        kind: KIND,
        listKind: `${KIND}List`,
        plural: PLURAL,
        singular: KIND.toLowerCase(),
        shortNames: [SHORT_NAME],
      },
      versions: [{
        name: VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: "LoadBalancer", type: "string", jsonPath: ".spec.loadBalancerId" },
          { name: "Phase", type: "string", jsonPath: ".status.phase" },
          { name: "Backends", type: "integer", jsonPath: ".status.backendCount" },
          {
            name: "Ready",
            type: "string",
            jsonPath: '.status.conditions[?(@.type=="Ready")].status',
          },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
        schema: { openAPIV3Schema: { type: "object", properties: { spec: open, status: open } } },
      }],
    },
  };
}
