package io.tidemill.watermark;

/** Creates a {@link WatermarkGenerator} per split: {@code WatermarkStrategy.forGenerator(MyGenerator::new)}. */
@FunctionalInterface
public interface WatermarkGeneratorSupplier<T> {
    WatermarkGenerator<T> createWatermarkGenerator();
}
