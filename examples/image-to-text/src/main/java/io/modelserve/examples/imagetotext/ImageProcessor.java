package io.modelserve.examples.imagetotext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an upload and turns it into {@code pixel_values} [1, 3, H, W] the way the model's
 * {@code preprocessor_config.json} says (size, resample, rescale, mean, std), so the same code
 * serves vit-gpt2 (224, bilinear, mean 0.5) and BLIP (384, bicubic, CLIP's mean and std).
 */
final class ImageProcessor {

  /** Uploads beyond this are refused before decoding: a small PNG can unpack to gigabytes. */
  static final long MAX_PIXELS = 50_000_000L;

  private final int width;
  private final int height;
  private final Object interpolation;
  private final float rescale;
  private final float[] mean;
  private final float[] std;

  private ImageProcessor(int width, int height, Object interpolation, float rescale, float[] mean, float[] std) {
    this.width = width;
    this.height = height;
    this.interpolation = interpolation;
    this.rescale = rescale;
    this.mean = mean;
    this.std = std;
  }

  static ImageProcessor read(Path config) throws IOException {
    JsonNode json = Files.exists(config) ? new ObjectMapper().readTree(config.toFile())
        : new ObjectMapper().createObjectNode();
    JsonNode size = json.path("size");
    int w = size.isInt() ? size.asInt() : size.path("width").asInt(size.path("shortest_edge").asInt(224));
    int h = size.isInt() ? size.asInt() : size.path("height").asInt(size.path("shortest_edge").asInt(224));
    // PIL's codes: 0 nearest, 2 bilinear, 3 bicubic
    Object interpolation = switch (json.path("resample").asInt(2)) {
      case 0 -> RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR;
      case 3 -> RenderingHints.VALUE_INTERPOLATION_BICUBIC;
      default -> RenderingHints.VALUE_INTERPOLATION_BILINEAR;
    };
    float rescale = json.path("do_rescale").asBoolean(true) ? (float) json.path("rescale_factor").asDouble(1 / 255.0) : 1f;
    boolean normalize = json.path("do_normalize").asBoolean(true);
    float[] mean = normalize ? triple(json.path("image_mean"), 0.5f) : new float[] {0, 0, 0};
    float[] std = normalize ? triple(json.path("image_std"), 0.5f) : new float[] {1, 1, 1};
    return new ImageProcessor(w, h, interpolation, rescale, mean, std);
  }

  long[] shape() {
    return new long[] {1, 3, height, width};
  }

  /**
   * Decodes PNG, JPEG, GIF or BMP bytes.
   *
   * @throws IllegalArgumentException with a message for the client when the bytes are no image
   */
  static BufferedImage decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("the uploaded image is empty");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("the upload is not an image (PNG, JPEG, GIF or BMP expected)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new IllegalArgumentException("the image has " + pixels + " pixels; at most " + MAX_PIXELS);
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // decoders throw unchecked exceptions on some corrupt files too
      throw new IllegalArgumentException("the upload is not a readable image: " + e.getMessage());
    }
  }

  /** The image resized to the model's size, as normalised channel-first floats. */
  float[] pixels(BufferedImage image) {
    BufferedImage resized = resize(image);
    int plane = width * height;
    float[] out = new float[3 * plane];
    int[] rgb = resized.getRGB(0, 0, width, height, null, 0, width);
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[i] = ((p >> 16 & 0xff) * rescale - mean[0]) / std[0];
      out[plane + i] = ((p >> 8 & 0xff) * rescale - mean[1]) / std[1];
      out[2 * plane + i] = ((p & 0xff) * rescale - mean[2]) / std[2];
    }
    return out;
  }

  /**
   * Halves the image while it is over twice the target, then scales once: Java2D's bilinear and
   * bicubic sample only the nearest pixels, so one big step would alias where PIL averages.
   */
  private BufferedImage resize(BufferedImage image) {
    BufferedImage current = image;
    int w = image.getWidth();
    int h = image.getHeight();
    while (w >= 2 * width && h >= 2 * height) {
      w /= 2;
      h /= 2;
      current = draw(current, w, h);
    }
    return draw(current, width, height);
  }

  private BufferedImage draw(BufferedImage source, int w, int h) {
    // TYPE_INT_RGB drops alpha, as PIL's convert("RGB") does
    BufferedImage target = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.drawImage(source, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return target;
  }

  private static float[] triple(JsonNode node, float fallback) {
    float[] values = {fallback, fallback, fallback};
    if (node.isArray() && node.size() == 3) {
      for (int i = 0; i < 3; i++) {
        values[i] = (float) node.get(i).asDouble();
      }
    } else if (node.isNumber()) {
      java.util.Arrays.fill(values, (float) node.asDouble());
    }
    return values;
  }
}
