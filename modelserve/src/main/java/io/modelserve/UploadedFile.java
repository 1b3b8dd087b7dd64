package io.modelserve;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A file uploaded in a multipart form, held in memory (Django's {@code UploadedFile}). */
public final class UploadedFile {

  private final String field;
  private final String fileName;
  private final String contentType;
  private final byte[] bytes;

  public UploadedFile(String field, String fileName, String contentType, byte[] bytes) {
    this.field = Objects.requireNonNull(field, "field");
    this.fileName = fileName == null ? "" : fileName;
    this.contentType = contentType == null ? "application/octet-stream" : contentType;
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  /** The form field the file was sent under, e.g. {@code image}. */
  public String field() {
    return field;
  }

  /** The client's name for the file; may be empty. */
  public String fileName() {
    return fileName;
  }

  /** The content type the client declared, {@code application/octet-stream} when none. */
  public String contentType() {
    return contentType;
  }

  /** The file's content. The array is shared, not copied: do not modify it. */
  public byte[] bytes() {
    return bytes;
  }

  public int size() {
    return bytes.length;
  }

  /** The content decoded as UTF-8. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "UploadedFile{" + field + ", " + fileName + ", " + contentType + ", " + bytes.length + " bytes}";
  }
}
