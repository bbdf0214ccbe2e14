package dev.orket.sidecar.nvidia.internal;

import dev.orket.api.ComputeProcess;
import dev.orket.api.GpuSample;
import dev.orket.api.SidecarReading;
import dev.orket.api.ThrottleReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses {@code nvidia-smi -q -x} output, DTD versions 11 to 13, without fetching the DTD or any
 * external entity.
 *
 * <p>Wire format (trimmed):
 * <pre>
 * &lt;nvidia_smi_log&gt;
 *   &lt;driver_version&gt;510.47.03&lt;/driver_version&gt;
 *   &lt;gpu id="00000000:00:04.0"&gt;
 *     &lt;product_name&gt;Tesla P100-PCIE-16GB&lt;/product_name&gt; &lt;uuid&gt;GPU-d3da…&lt;/uuid&gt;
 *     &lt;fb_memory_usage&gt;&lt;total&gt;16384 MiB&lt;/total&gt;&lt;used&gt;0 MiB&lt;/used&gt;…&lt;/fb_memory_usage&gt;
 *     &lt;temperature&gt;&lt;gpu_temp&gt;38 C&lt;/gpu_temp&gt;&lt;memory_temp&gt;N/A&lt;/memory_temp&gt;…
 *   &lt;/gpu&gt;
 * &lt;/nvidia_smi_log&gt;
 * </pre>
 * Element names drift between drivers, so every field is looked up by presence, not by DTD version.
 */
public final class XmlLogParser {

    private XmlLogParser() {}

    /** Parses one XML document; never throws for bad input. */
    public static SidecarReading parse(byte[] input) {
        Findings findings = new Findings();
        Document doc;
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            builder.setErrorHandler(SILENT);
            doc = builder.parse(new ByteArrayInputStream(input));
        } catch (SAXException | IOException e) {
            findings.invalidFormat("xml");
            return findings.toReading(List.of());
        } catch (ParserConfigurationException e) {
            // A JDK whose parser cannot be made XXE-safe does not get to read the file at all.
            findings.invalidFormat("xml_parser_unavailable");
            return findings.toReading(List.of());
        }
        Element root = doc.getDocumentElement();
        if (root == null || !root.getTagName().equals("nvidia_smi_log")) {
            findings.invalidFormat("xml_root");
            return findings.toReading(List.of());
        }
        String driver = text(child(root, "driver_version"));
        List<GpuSample> samples = new ArrayList<>();
        int ordinal = 0;
        for (Element gpu : children(root, "gpu")) {
            samples.add(sample(gpu, ordinal++, driver, findings));
        }
        if (samples.isEmpty()) {
            findings.invalidFormat("no_gpu");
        }
        return findings.toReading(samples);
    }

    private static GpuSample sample(Element gpu, int ordinal, @Nullable String driver, Findings findings) {
        SampleFields f = new SampleFields();
        // -q -x has no index element; GPUs are listed in index order, so the ordinal is the index.
        f.offer(CanonicalKey.GPU_INDEX, 0, Integer.toString(ordinal));
        offer(f, CanonicalKey.GPU_UUID, 0, child(gpu, "uuid"));
        offer(f, CanonicalKey.GPU_NAME, 0, child(gpu, "product_name"));
        if (driver != null) {
            f.offer(CanonicalKey.DRIVER_VERSION, 0, driver);
        }
        Element fb = child(gpu, "fb_memory_usage");
        offer(f, CanonicalKey.VRAM_TOTAL_MIB, 0, child(fb, "total"));
        offer(f, CanonicalKey.VRAM_USED_MIB, 0, child(fb, "used"));
        offer(f, CanonicalKey.VRAM_FREE_MIB, 0, child(fb, "free"));
        offer(f, CanonicalKey.VRAM_RESERVED_MIB, 0, child(fb, "reserved"));
        Element util = child(gpu, "utilization");
        offer(f, CanonicalKey.GPU_UTILIZATION_PCT, 0, child(util, "gpu_util"));
        offer(f, CanonicalKey.MEMORY_UTILIZATION_PCT, 0, child(util, "memory_util"));
        Element temp = child(gpu, "temperature");
        offer(f, CanonicalKey.TEMPERATURE_C, 0, child(temp, "gpu_temp"));
        offer(f, CanonicalKey.MEMORY_TEMPERATURE_C, 0, child(temp, "memory_temp"));
        // <power_readings> up to 525, <gpu_power_readings> from 535; <power_draw> is gone from 570.
        for (String block : List.of("power_readings", "gpu_power_readings")) {
            Element p = child(gpu, block);
            offer(f, CanonicalKey.POWER_DRAW_W, 0, child(p, "power_draw"));
            offer(f, CanonicalKey.POWER_DRAW_W, 1, child(p, "average_power_draw"));
            offer(f, CanonicalKey.POWER_DRAW_W, 2, child(p, "instant_power_draw"));
            offer(f, CanonicalKey.POWER_LIMIT_W, 0, child(p, "enforced_power_limit"));
            offer(f, CanonicalKey.POWER_LIMIT_W, 1, child(p, "current_power_limit"));
            offer(f, CanonicalKey.POWER_LIMIT_W, 2, child(p, "power_limit"));
        }
        Element clocks = child(gpu, "clocks");
        offer(f, CanonicalKey.SM_CLOCK_MHZ, 0, child(clocks, "sm_clock"));
        offer(f, CanonicalKey.MEM_CLOCK_MHZ, 0, child(clocks, "mem_clock"));
        offer(f, CanonicalKey.PSTATE, 0, child(gpu, "performance_state"));
        offer(f, CanonicalKey.FAN_SPEED_PCT, 0, child(gpu, "fan_speed"));
        throttle(f, child(gpu, "clocks_throttle_reasons"), "clocks_throttle_reason_");
        throttle(f, child(gpu, "clocks_event_reasons"), "clocks_event_reason_");
        Element procs = child(gpu, "processes");
        if (procs != null) {
            f.processes(processes(procs, text(child(gpu, "uuid")), findings));
        }
        return f.toSample(0L, findings);
    }

    private static void throttle(SampleFields f, @Nullable Element block, String prefix) {
        if (block == null) {
            return;
        }
        for (Element e : children(block, null)) {
            String name = e.getTagName();
            if (!name.startsWith(prefix)) {
                continue;
            }
            ThrottleReason r = QueryField.flagSuffix(name.substring(prefix.length()));
            if (r != null) {
                f.offerThrottleFlag(r, e.getTextContent());
            }
        }
    }

    private static List<ComputeProcess> processes(Element procs, @Nullable String uuid, Findings findings) {
        List<ComputeProcess> out = new ArrayList<>();
        for (Element p : children(procs, "process_info")) {
            String pid = text(child(p, "pid"));
            Long pidValue = pid == null ? null : ValueToken.integer(pid, CanonicalKey.COMPUTE_PROCESSES);
            if (pidValue == null) {
                findings.invalid(CanonicalKey.COMPUTE_PROCESSES, pid == null ? "" : pid);
                continue;
            }
            String name = text(child(p, "process_name"));
            String mem = text(child(p, "used_memory"));
            Long used = mem == null || ValueToken.isAbsent(mem) ? null : ValueToken.integer(mem, CanonicalKey.VRAM_USED_MIB);
            out.add(new ComputeProcess(uuid, pidValue, name == null ? "" : name, used));
        }
        return out;
    }

    private static void offer(SampleFields f, CanonicalKey key, int priority, @Nullable Element e) {
        if (e != null) {
            f.offer(key, priority, e.getTextContent());
        }
    }

    private static @Nullable String text(@Nullable Element e) {
        return e == null ? null : e.getTextContent().strip();
    }

    private static @Nullable Element child(@Nullable Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                return (Element) n;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, @Nullable String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && (name == null || ((Element) n).getTagName().equals(name))) {
                out.add((Element) n);
            }
        }
        return out;
    }

    private static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        // nvidia-smi's files carry a DOCTYPE, so DOCTYPEs stay allowed; everything external is off.
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        return f;
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) {}

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    };
}
