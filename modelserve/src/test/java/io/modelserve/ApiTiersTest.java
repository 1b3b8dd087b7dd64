package io.modelserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's tiers, checked on its compiled classes (what a {@code module-info} would enforce
 * if the library were a module; it is not, since Hazelcast and DJL are not modules either):
 * <ul>
 *   <li>API: {@code io.modelserve} (what a model implements and receives),
 *       {@code io.modelserve.options} (the options objects), {@code io.modelserve.server}
 *       ({@code Serving}, the verticles);</li>
 *   <li>{@code io.modelserve.impl..}: internal, free to change. No public API signature names an
 *       impl type, the options depend on no implementation, and impl never reaches up into
 *       {@code io.modelserve.server}, except {@code impl.cli}: the command line sits on top and
 *       starts nodes through {@code Serving}, as an application would. So no package cycle
 *       runs through the server package.</li>
 * </ul>
 */
class ApiTiersTest {

  private static final List<String> API = List.of("io.modelserve", "io.modelserve.options", "io.modelserve.server");
  private static ScanResult scan;

  @BeforeAll
  static void scan() {
    scan = new ClassGraph().enableInterClassDependencies().enableClassInfo().acceptPackages("io.modelserve").scan();
  }

  @AfterAll
  static void close() {
    scan.close();
  }

  /** The library's own classes: those under target/classes, not the tests'. */
  private static List<ClassInfo> main() {
    List<ClassInfo> out = new ArrayList<>();
    for (ClassInfo c : scan.getAllClasses()) {
      String where = c.getClasspathElementFile() == null ? "" : c.getClasspathElementFile().toString();
      if (!where.contains("test-classes") && !where.contains("-tests.jar")) {
        out.add(c);
      }
    }
    return out;
  }

  private static Set<String> dependenciesOf(String packagePrefix, String onPackage, boolean prefix) {
    Set<String> bad = new TreeSet<>();
    for (ClassInfo c : main()) {
      if (!c.getPackageName().equals(packagePrefix) && !c.getPackageName().startsWith(packagePrefix + ".")
          || c.getPackageName().equals("io.modelserve.impl.cli")) {
        continue;
      }
      for (ClassInfo d : c.getClassDependencies()) {
        String p = d.getPackageName();
        if (prefix ? p.equals(onPackage) || p.startsWith(onPackage + ".") : p.equals(onPackage)) {
          bad.add(c.getName() + " -> " + d.getName());
        }
      }
    }
    return bad;
  }

  @Test
  void theScanSeesTheLibrary() {
    List<String> names = main().stream().map(ClassInfo::getName).toList();
    assertTrue(names.contains("io.modelserve.impl.controller.DispatchPolicy") && names.contains("io.modelserve.server.Serving")
        && names.contains("io.modelserve.options.ControllerOptions"), names.toString());
  }

  @Test
  void theImplementationNeverReachesUpIntoTheServerPackage() {
    assertEquals(Set.of(), dependenciesOf("io.modelserve.impl", "io.modelserve.server", false));
  }

  @Test
  void theOptionsDependOnNoImplementation() {
    Set<String> bad = dependenciesOf("io.modelserve.options", "io.modelserve.impl", true);
    bad.addAll(dependenciesOf("io.modelserve.options", "io.modelserve.server", false));
    assertEquals(Set.of(), bad);
  }

  @Test
  void noPublicSignatureOfTheApiNamesAnImplementationType() throws Exception {
    Set<String> bad = new TreeSet<>();
    for (ClassInfo info : main()) {
      if (!API.contains(info.getPackageName()) || !info.isPublic()) {
        continue;
      }
      Class<?> c = Class.forName(info.getName(), false, getClass().getClassLoader());
      List<String> types = new ArrayList<>();
      if (c.getGenericSuperclass() != null) {
        types.add("extends " + c.getGenericSuperclass().getTypeName());
      }
      for (var i : c.getGenericInterfaces()) {
        types.add("implements " + i.getTypeName());
      }
      for (Method m : c.getDeclaredMethods()) {
        if (exposed(m.getModifiers())) {
          types.add(m.getName() + " returns " + m.getGenericReturnType().getTypeName());
          for (var p : m.getGenericParameterTypes()) {
            types.add(m.getName() + " takes " + p.getTypeName());
          }
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (exposed(k.getModifiers())) {
          for (var p : k.getGenericParameterTypes()) {
            types.add("constructor takes " + p.getTypeName());
          }
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (exposed(f.getModifiers())) {
          types.add(f.getName() + " is " + f.getGenericType().getTypeName());
        }
      }
      for (String t : types) {
        if (t.contains("io.modelserve.impl.")) {
          bad.add(c.getName() + ": " + t);
        }
      }
    }
    assertEquals(Set.of(), bad);
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }
}
