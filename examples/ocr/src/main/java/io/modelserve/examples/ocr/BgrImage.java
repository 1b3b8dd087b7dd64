package io.modelserve.examples.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit image in the blue-green-red interleaved layout that PaddleOCR's models were trained
 * on (OpenCV's default), with the resampling the pipeline needs done in plain Java: DJL's ONNX
 * Runtime engine has no NDArray arithmetic, and doing it here keeps every step inspectable.
 */
public record BgrImage(int width, int height, byte[] data) {

  public BgrImage {
    if (width <= 0 || height <= 0 || data.length != width * height * 3) {
      throw new IllegalArgumentException("bad image geometry " + width + "x" + height);
    }
  }

  /** Larger uploads are refused before decoding: a small compressed file can expand to gigabytes. */
  public static final long MAX_PIXELS = 40_000_000L;

  /**
   * Decodes PNG, JPEG or any other format that ImageIO reads.
   *
   * @throws IllegalArgumentException when the bytes are not a readable image, or too large a one
   */
  public static BgrImage decode(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IllegalArgumentException("not an image (PNG, JPEG, GIF, BMP or WBMP expected)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new IllegalArgumentException("image too large: " + reader.getWidth(0) + "x"
              + reader.getHeight(0) + " pixels, at most " + MAX_PIXELS + " accepted");
        }
        BufferedImage image = reader.read(0);
        if (image.getWidth() <= 0 || image.getHeight() <= 0) {
          throw new IllegalArgumentException("the image is empty");
        }
        return of(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | IllegalStateException | IndexOutOfBoundsException e) {
      // truncated or corrupt files surface as codec exceptions
      throw new IllegalArgumentException("unreadable image: " + e.getMessage(), e);
    }
  }

  /** Converts any BufferedImage; transparent pixels become white, as on a page. */
  public static BgrImage of(BufferedImage image) {
    BufferedImage bgr = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = bgr.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    return new BgrImage(bgr.getWidth(), bgr.getHeight(), pixels);
  }

  /**
   * Resizes with bilinear interpolation (OpenCV's INTER_LINEAR sampling grid) and writes the
   * result as a planar CHW float tensor, each channel {@code (v / 255 - mean[c]) / std[c]}.
   *
   * @param out destination of at least {@code 3 * outH * stride} floats; columns from
   *     {@code outW} to {@code stride} are left as they are (padding)
   */
  public void resizeNormalizedChw(int outW, int outH, int stride, float[] mean, float[] std,
      float[] out) {
    float sx = (float) width / outW;
    float sy = (float) height / outH;
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] fx = new float[outW];
    for (int x = 0; x < outW; x++) {
      float src = Math.max((x + 0.5f) * sx - 0.5f, 0f);
      x0[x] = Math.min((int) src, width - 1);
      x1[x] = Math.min(x0[x] + 1, width - 1);
      fx[x] = src - (int) src;
    }
    float[] scale = new float[3];
    float[] shift = new float[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / (255f * std[c]);
      shift[c] = -mean[c] / std[c];
    }
    int plane = outH * stride;
    for (int y = 0; y < outH; y++) {
      float srcY = Math.max((y + 0.5f) * sy - 0.5f, 0f);
      int y0 = Math.min((int) srcY, height - 1);
      int y1 = Math.min(y0 + 1, height - 1);
      float fy = srcY - (int) srcY;
      int row0 = y0 * width * 3;
      int row1 = y1 * width * 3;
      for (int x = 0; x < outW; x++) {
        int a = row0 + x0[x] * 3;
        int b = row0 + x1[x] * 3;
        int c0 = row1 + x0[x] * 3;
        int d = row1 + x1[x] * 3;
        float wx = fx[x];
        for (int c = 0; c < 3; c++) {
          float top = (data[a + c] & 0xff) * (1 - wx) + (data[b + c] & 0xff) * wx;
          float bottom = (data[c0 + c] & 0xff) * (1 - wx) + (data[d + c] & 0xff) * wx;
          float v = top * (1 - fy) + bottom * fy;
          out[c * plane + y * stride + x] = v * scale[c] + shift[c];
        }
      }
    }
  }

  /**
   * Cuts out the (possibly rotated) rectangle {@code quad} and straightens it, sampling
   * bilinearly and repeating edge pixels outside the image, as OpenCV's warp with
   * BORDER_REPLICATE does in PaddleOCR.
   */
  public BgrImage crop(Quad quad) {
    int w = Math.max(1, Math.round(quad.width()));
    int h = Math.max(1, Math.round(quad.height()));
    float ox = quad.x(0);
    float oy = quad.y(0);
    float ux = (quad.x(1) - ox) / w;
    float uy = (quad.y(1) - oy) / w;
    float vx = (quad.x(3) - ox) / h;
    float vy = (quad.y(3) - oy) / h;
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sx = ox + x * ux + y * vx;
        float sy = oy + x * uy + y * vy;
        sample(sx, sy, out, (y * w + x) * 3);
      }
    }
    BgrImage crop = new BgrImage(w, h, out);
    // PaddleOCR turns tall crops upright: vertical text lines read better rotated
    return h >= 1.5f * w ? crop.rotateCounterClockwise() : crop;
  }

  private void sample(float sx, float sy, byte[] out, int at) {
    float cx = Math.min(Math.max(sx, 0f), width - 1);
    float cy = Math.min(Math.max(sy, 0f), height - 1);
    int x0 = (int) cx;
    int y0 = (int) cy;
    int x1 = Math.min(x0 + 1, width - 1);
    int y1 = Math.min(y0 + 1, height - 1);
    float fx = cx - x0;
    float fy = cy - y0;
    for (int c = 0; c < 3; c++) {
      float top = (data[(y0 * width + x0) * 3 + c] & 0xff) * (1 - fx)
          + (data[(y0 * width + x1) * 3 + c] & 0xff) * fx;
      float bottom = (data[(y1 * width + x0) * 3 + c] & 0xff) * (1 - fx)
          + (data[(y1 * width + x1) * 3 + c] & 0xff) * fx;
      out[at + c] = (byte) Math.round(top * (1 - fy) + bottom * fy);
    }
  }

  private BgrImage rotateCounterClockwise() {
    byte[] out = new byte[data.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int to = ((width - 1 - x) * height + y) * 3;
        System.arraycopy(data, (y * width + x) * 3, out, to, 3);
      }
    }
    return new BgrImage(height, width, out);
  }
}
