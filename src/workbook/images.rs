//! The branding logo as a PDF image XObject. A JPEG goes in as it is (`/DCTDecode`: PDF
//! readers decode JPEG themselves); a PNG is decoded by the `png` crate to 8-bit samples, its
//! alpha channel, if any, becoming a soft mask, both deflated with the rest of the file.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::model::branding::{ImageFormat, Logo};

/// Adds `logo` to `doc` as an image XObject; returns its id.
pub(crate) fn embed(doc: &mut lopdf::Document, logo: &Logo) -> Result<ObjectId, String> {
    match logo.format {
        ImageFormat::Jpeg => {
            let mut dict = image_dict(logo.width, logo.height, colour_space(logo.components));
            dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            let mut stream = Stream::new(dict, logo.bytes.to_vec());
            stream.allows_compression = false;
            Ok(doc.add_object(Object::Stream(stream)))
        }
        ImageFormat::Png => {
            let (width, height, channels, samples) = decode_png(&logo.bytes)?;
            let colour: usize = if channels >= 3 { 3 } else { 1 };
            let has_alpha = channels == 2 || channels == 4;
            let stride = usize::from(channels);
            let mut pixels = Vec::with_capacity(samples.len() / stride * colour);
            let mut alpha = Vec::with_capacity(samples.len() / stride);
            for sample in samples.chunks_exact(stride) {
                pixels.extend_from_slice(&sample[..colour]);
                if has_alpha {
                    alpha.push(sample[stride - 1]);
                }
            }
            let mut dict = image_dict(width, height, colour_space(colour as u8));
            if has_alpha {
                let mask = image_dict(width, height, colour_space(1));
                let mask = doc.add_object(Object::Stream(Stream::new(mask, alpha)));
                dict.set("SMask", Object::Reference(mask));
            }
            Ok(doc.add_object(Object::Stream(Stream::new(dict, pixels))))
        }
    }
}

fn image_dict(width: u32, height: u32, colour_space: &[u8]) -> Dictionary {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Image".to_vec()));
    dict.set("Width", Object::Integer(i64::from(width)));
    dict.set("Height", Object::Integer(i64::from(height)));
    dict.set("ColorSpace", Object::Name(colour_space.to_vec()));
    dict.set("BitsPerComponent", Object::Integer(8));
    dict
}

fn colour_space(components: u8) -> &'static [u8] {
    if components == 1 {
        b"DeviceGray"
    } else {
        b"DeviceRGB"
    }
}

/// A PNG's width, height, channels per pixel and 8-bit samples.
fn decode_png(bytes: &[u8]) -> Result<(u32, u32, u8, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "the image is too large".to_owned())?;
    let mut samples = vec![0; size];
    let frame = reader.next_frame(&mut samples).map_err(|e| e.to_string())?;
    samples.truncate(frame.buffer_size());
    let channels = frame.color_type.samples() as u8;
    Ok((frame.width, frame.height, channels, samples))
}
