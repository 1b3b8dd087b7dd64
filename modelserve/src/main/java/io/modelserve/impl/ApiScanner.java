package io.modelserve.impl;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.modelserve.Api;
import io.modelserve.Model;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Finds the {@code @Api} classes that implement {@link Model}. */
public final class ApiScanner {

  private ApiScanner() {}

  /** The services in {@code packageName} and below. */
  public static Map<String, Class<? extends Model>> scanPackage(String packageName) {
    return scan(new ClassGraph().enableAnnotationInfo().acceptPackages(packageName));
  }

  /** The services anywhere on the class path (the JDK and our own packages aside). */
  public static Map<String, Class<? extends Model>> scanClasspath() {
    return scan(new ClassGraph().enableAnnotationInfo().rejectPackages("java", "javax", "jdk", "sun", "io.vertx",
        "io.netty", "com.hazelcast", "com.fasterxml", "ai.djl", "ch.qos", "org.slf4j", "picocli"));
  }

  private static Map<String, Class<? extends Model>> scan(ClassGraph graph) {
    Map<String, Class<? extends Model>> found = new TreeMap<>();
    try (ScanResult result = graph.scan()) {
      for (ClassInfo info : result.getClassesWithAnnotation(Api.class.getName())) {
        if (info.isAbstract() || !info.implementsInterface(Model.class.getName())) {
          continue;
        }
        Class<? extends Model> type = info.loadClass().asSubclass(Model.class);
        String name = type.getAnnotation(Api.class).name();
        Class<? extends Model> previous = found.put(name, type);
        if (previous != null && previous != type) {
          throw new IllegalStateException("two @Api classes are named '" + name + "': "
              + previous.getName() + " and " + type.getName());
        }
      }
    }
    return found;
  }

  /**
   * The service called {@code name}.
   *
   * @throws IllegalArgumentException naming the services that exist
   */
  public static Class<? extends Model> find(String name, Map<String, Class<? extends Model>> services) {
    Class<? extends Model> type = services.get(name);
    if (type == null) {
      List<String> names = services.keySet().stream().collect(Collectors.toList());
      throw new IllegalArgumentException("no @Api class is named '" + name + "'; "
          + (names.isEmpty() ? "none were found" : "the services are: " + String.join(", ", names)));
    }
    return type;
  }
}
