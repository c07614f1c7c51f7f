package dev.vigil.codec;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The message types generated in {@code io.kubernetes:client-java-proto}, found by the API version and kind a
 * protobuf envelope names. A group maps to the proto package {@code k8s.io.api.<first label of the group>.<version>}
 * ({@code rbac.authorization.k8s.io/v1} → {@code k8s.io.api.rbac.v1}, core {@code v1} → {@code k8s.io.api.core.v1});
 * kinds every group version shares (Status, DeleteOptions, WatchEvent, List, …) come from {@code meta/v1}.
 */
final class ProtoTypes {

  /** The outer classes of client-java-proto 24.0.0; loaded by name so a missing one only narrows the index. */
  private static final List<String> OUTER_CLASSES = List.of("IntStr", "Meta", "Resource", "Runtime", "RuntimeSchema",
      "V1", "V1Admission", "V1Admissionregistration", "V1Apps", "V1Authentication", "V1Authorization", "V1Autoscaling",
      "V1Batch", "V1Certificates", "V1Networking", "V1Policy", "V1Rbac", "V1Scheduling", "V1Storage",
      "V1alpha1Imagepolicy", "V1alpha1Rbac", "V1alpha1Scheduling", "V1beta1Admission", "V1beta1Admissionregistration",
      "V1beta1Apiextensions", "V1beta1Apps", "V1beta1Authentication", "V1beta1Authorization", "V1beta1Batch",
      "V1beta1Certificates", "V1beta1Extensions", "V1beta1Policy", "V1beta1Rbac", "V1beta1Storage", "V1beta2Apps",
      "V2beta1Autoscaling", "V2beta2Autoscaling");

  static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1";
  private static final String API = "k8s.io.api.";
  private static final String APIEXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.";

  /** "group-label/version/Kind" → descriptor, e.g. "apps/v1/Deployment", "core/v1/Pod", "meta/v1/Status". */
  private static final Map<String, Descriptor> BY_KIND = index();

  private ProtoTypes() {}

  /** The generated message for an envelope's type meta, or null when client-java-proto has none. */
  static Descriptor find(String apiVersion, String kind) {
    if (apiVersion == null || kind == null || kind.isEmpty()) {
      return null;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    Descriptor d = BY_KIND.get(groupLabel(group) + "/" + version + "/" + kind);
    if (d == null) {
      // Status, DeleteOptions, WatchEvent, List, … are meta/v1 types registered in every group version
      d = BY_KIND.get("meta/v1/" + kind);
    }
    return d;
  }

  static int size() {
    return BY_KIND.size();
  }

  /** "" → core, "apps" → apps, "rbac.authorization.k8s.io" → rbac; "meta.k8s.io" → meta. */
  static String groupLabel(String group) {
    if (group.isEmpty()) {
      return "core";
    }
    int dot = group.indexOf('.');
    return (dot < 0 ? group : group.substring(0, dot)).toLowerCase(Locale.ROOT);
  }

  private static Map<String, Descriptor> index() {
    Map<String, Descriptor> out = new HashMap<>();
    for (String name : OUTER_CLASSES) {
      FileDescriptor file;
      try {
        file = (FileDescriptor) Class.forName("io.kubernetes.client.proto." + name).getMethod("getDescriptor")
            .invoke(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        continue; // another client-java-proto version without this file: fewer kinds, no failure
      }
      String key = groupVersionKey(file.getPackage());
      if (key == null) {
        continue;
      }
      for (Descriptor d : file.getMessageTypes()) {
        out.put(key + "/" + d.getName(), d);
      }
    }
    return Map.copyOf(out);
  }

  /** "k8s.io.api.apps.v1" → "apps/v1"; the meta package → "meta/v1"; runtime, intstr, resource → null. */
  private static String groupVersionKey(String pkg) {
    String rest;
    if (pkg.startsWith(API)) {
      rest = pkg.substring(API.length());
    } else if (pkg.startsWith(APIEXTENSIONS)) {
      rest = "apiextensions." + pkg.substring(APIEXTENSIONS.length());
    } else if (pkg.equals(META)) {
      rest = "meta.v1";
    } else {
      return null;
    }
    int dot = rest.lastIndexOf('.');
    return dot < 0 ? null : rest.substring(0, dot) + "/" + rest.substring(dot + 1);
  }
}
