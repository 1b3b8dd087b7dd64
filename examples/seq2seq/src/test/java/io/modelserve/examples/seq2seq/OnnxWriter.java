package io.modelserve.examples.seq2seq;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes ONNX models as protobuf, field by field, so tests can make tiny models without Python's
 * onnx package. Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto, TypeProto).
 */
final class OnnxWriter {

  static final int FLOAT = 1;
  static final int INT64 = 7;
  static final int BOOL = 9;

  private OnnxWriter() {}

  /** A ModelProto around {@code graph}: IR version 8, default-domain opset 17. */
  static byte[] model(Graph graph) {
    Message opset = new Message().string(1, "").int64(2, 17);
    return new Message()
        .int64(1, 8)
        .string(2, "modelserve-tiny")
        .message(8, opset)
        .message(7, graph.toMessage())
        .bytes();
  }

  /** A graph: main graph or an If branch (a branch has outputs but no inputs). */
  static final class Graph {
    private final String name;
    private final List<Message> nodes = new ArrayList<>();
    private final List<Message> initializers = new ArrayList<>();
    private final List<Message> inputs = new ArrayList<>();
    private final List<Message> outputs = new ArrayList<>();
    private int counter;

    Graph(String name) {
      this.name = name;
    }

    /** A graph input; each dim is a Long (fixed) or a String (symbolic). */
    Graph input(String value, int elemType, Object... dims) {
      inputs.add(valueInfo(value, elemType, dims));
      return this;
    }

    /** A graph output; with no dims the shape is left unknown (enough for If branches). */
    Graph output(String value, int elemType, Object... dims) {
      outputs.add(valueInfo(value, elemType, dims.length == 0 ? null : dims));
      return this;
    }

    Graph outputs(java.util.List<String> values, int elemType, Object... dims) {
      values.forEach(value -> output(value, elemType, dims));
      return this;
    }

    Graph node(String op, String[] in, String[] out, Message... attributes) {
      Message node = new Message();
      for (String i : in) {
        node.string(1, i);
      }
      for (String o : out) {
        node.string(2, o);
      }
      node.string(3, op + "_" + name + "_" + counter++).string(4, op);
      for (Message attribute : attributes) {
        node.message(5, attribute);
      }
      nodes.add(node);
      return this;
    }

    /** One-output node, the common case. */
    Graph op(String op, String out, String[] in, Message... attributes) {
      return node(op, in, new String[] {out}, attributes);
    }

    Graph floats(String value, long[] dims, float[] data) {
      ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : data) {
        raw.putFloat(f);
      }
      initializers.add(tensor(value, FLOAT, dims, raw.array()));
      return this;
    }

    Graph longs(String value, long[] dims, long... data) {
      ByteBuffer raw = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long l : data) {
        raw.putLong(l);
      }
      initializers.add(tensor(value, INT64, dims, raw.array()));
      return this;
    }

    Message toMessage() {
      Message graph = new Message();
      nodes.forEach(n -> graph.message(1, n));
      graph.string(2, name);
      initializers.forEach(t -> graph.message(5, t));
      inputs.forEach(v -> graph.message(11, v));
      outputs.forEach(v -> graph.message(12, v));
      return graph;
    }
  }

  static Message intAttr(String name, long value) {
    return new Message().string(1, name).int32(20, 2).int64(3, value);
  }

  static Message intsAttr(String name, long... values) {
    Message attribute = new Message().string(1, name).int32(20, 7);
    for (long v : values) {
      attribute.int64(8, v);
    }
    return attribute;
  }

  static Message graphAttr(String name, Graph graph) {
    return new Message().string(1, name).int32(20, 5).message(6, graph.toMessage());
  }

  private static Message tensor(String name, int dataType, long[] dims, byte[] raw) {
    Message tensor = new Message();
    for (long d : dims) {
      tensor.int64(1, d);
    }
    return tensor.int32(2, dataType).string(8, name).raw(9, raw);
  }

  private static Message valueInfo(String name, int elemType, Object[] dims) {
    Message tensorType = new Message().int32(1, elemType);
    if (dims != null) {
      Message shape = new Message();
      for (Object d : dims) {
        Message dim = new Message();
        if (d instanceof String symbol) {
          dim.string(2, symbol);
        } else {
          dim.int64(1, ((Number) d).longValue());
        }
        shape.message(1, dim);
      }
      tensorType.message(2, shape);
    }
    return new Message().string(1, name).message(2, new Message().message(1, tensorType));
  }

  /** One protobuf message being written; nested messages are written length-delimited. */
  static final class Message {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    Message string(int field, String value) {
      return write(() -> out.writeString(field, value));
    }

    Message int64(int field, long value) {
      return write(() -> out.writeInt64(field, value));
    }

    Message int32(int field, int value) {
      return write(() -> out.writeInt32(field, value));
    }

    Message raw(int field, byte[] value) {
      return write(() -> out.writeByteArray(field, value));
    }

    Message message(int field, Message value) {
      return raw(field, value.bytes());
    }

    byte[] bytes() {
      write(out::flush);
      return buffer.toByteArray();
    }

    private interface Write {
      void run() throws IOException;
    }

    private Message write(Write write) {
      try {
        write.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }
}
