"""What the demo data is made of, so that a newcomer can believe it: the products each category
finds, the species each product comes from and where those species live, how each category's
incidents are detected (and which products cannot be found that way), and what rangers write, in
the language of the place's country (tracker/incidents/demo.py draws from these)."""
from __future__ import annotations

from tracker.models import DetectionMethod

D = DetectionMethod
CATEGORY_WEIGHTS = {"poaching": 25, "snaring": 30, "illegal-logging": 15, "illegal-fishing": 14,
                    "plant-harvest": 6, "trafficking": 10}

# What an incident of each category lists (a product named twice is drawn twice as often).
CATEGORY_PRODUCTS = {
    "poaching": ["carcass", "carcass", "skin", "meat", "meat", "bone", "paw", "antler", "musk-pod", "skull", "claw",
                 "tooth", "gall-bladder", "firearm"],
    "snaring": ["snare", "snare", "snare", "carcass"],
    "illegal-logging": ["log", "log", "stump", "sawn-timber", "vehicle"],
    "illegal-fishing": ["fish", "fish", "net", "caviar", "vehicle"],
    "plant-harvest": ["root", "root", "whole-plant"],
    "trafficking": ["skin", "bone", "paw", "musk-pod", "gall-bladder", "caviar", "root", "log", "sawn-timber",
                    "antler", "claw", "tooth", "live", "meat", "feathers"],
}

TREES = ["Pinus koraiensis", "Quercus mongolica", "Fraxinus mandshurica"]
# The species a product is taken from; gear (snares, nets, firearms, vehicles) names none.
PRODUCT_SPECIES = {
    "carcass": ["Cervus nippon", "Cervus canadensis xanthopygus", "Moschus moschiferus", "Ursus arctos",
                "Ursus thibetanus", "Martes zibellina", "Procapra gutturosa", "Marmota sibirica",
                "Panthera tigris altaica", "Panthera pardus orientalis"],
    "skin": ["Martes zibellina", "Ursus arctos", "Ursus thibetanus", "Panthera tigris altaica",
             "Panthera pardus orientalis", "Marmota sibirica"],
    "meat": ["Cervus nippon", "Cervus canadensis xanthopygus", "Moschus moschiferus", "Ursus arctos",
             "Procapra gutturosa", "Marmota sibirica"],
    "bone": ["Panthera tigris altaica", "Panthera pardus orientalis", "Ursus thibetanus", "Ursus arctos"],
    "paw": ["Ursus thibetanus", "Ursus arctos", "Panthera tigris altaica"],
    "antler": ["Cervus nippon", "Cervus canadensis xanthopygus"],
    "musk-pod": ["Moschus moschiferus"],
    "skull": ["Panthera tigris altaica", "Ursus arctos", "Ursus thibetanus", "Cervus canadensis xanthopygus"],
    "claw": ["Panthera tigris altaica", "Panthera pardus orientalis", "Ursus arctos", "Ursus thibetanus"],
    "tooth": ["Panthera tigris altaica", "Panthera pardus orientalis", "Ursus arctos", "Ursus thibetanus"],
    "gall-bladder": ["Ursus thibetanus", "Ursus arctos"],
    "live": ["Falco cherrug", "Grus japonensis", "Antigone vipio", "Martes zibellina", "Ursus thibetanus"],
    "feathers": ["Grus japonensis", "Ciconia boyciana", "Antigone vipio", "Grus monacha"],
    "fish": ["Hucho taimen", "Acipenser schrenckii", "Huso dauricus"],
    "caviar": ["Acipenser schrenckii", "Huso dauricus"],
    "root": ["Panax ginseng"],
    "whole-plant": ["Panax ginseng"],
    "log": TREES, "sawn-timber": TREES, "stump": TREES,
}
# Where a species lives, among the region's countries; a species not named lives in all three.
SPECIES_COUNTRIES = {
    "Panthera tigris altaica": {"RU", "CN"}, "Panthera pardus orientalis": {"RU", "CN"},
    "Cervus nippon": {"RU", "CN"}, "Ursus thibetanus": {"RU", "CN"}, "Ciconia boyciana": {"RU", "CN"},
    "Acipenser schrenckii": {"RU", "CN"}, "Huso dauricus": {"RU", "CN"}, "Panax ginseng": {"RU", "CN"},
    "Pinus koraiensis": {"RU", "CN"}, "Quercus mongolica": {"RU", "CN"}, "Fraxinus mandshurica": {"RU", "CN"},
}

# How each category's incidents come to light: (method, weight).
CATEGORY_DETECTION = {
    "poaching": [(D.PATROL, 50), (D.CAMERA_TRAP, 15), (D.INFORMANT, 20), (D.CHECKPOINT, 10), (D.OTHER, 5)],
    "snaring": [(D.PATROL, 80), (D.CAMERA_TRAP, 8), (D.INFORMANT, 10), (D.OTHER, 2)],
    "illegal-logging": [(D.PATROL, 55), (D.INFORMANT, 20), (D.CHECKPOINT, 15), (D.CAMERA_TRAP, 5), (D.OTHER, 5)],
    "illegal-fishing": [(D.PATROL, 60), (D.INFORMANT, 15), (D.CHECKPOINT, 10), (D.MARKET_INSPECTION, 10),
                        (D.OTHER, 5)],
    "plant-harvest": [(D.PATROL, 50), (D.INFORMANT, 20), (D.CHECKPOINT, 10), (D.MARKET_INSPECTION, 15),
                      (D.OTHER, 5)],
    "trafficking": [(D.CHECKPOINT, 35), (D.MARKET_INSPECTION, 25), (D.ONLINE_MONITORING, 20), (D.INFORMANT, 15),
                    (D.OTHER, 5)],
}
# Products found where they lie, never in a car, at a market or for sale online.
IN_PLACE = {D.CHECKPOINT, D.MARKET_INSPECTION, D.ONLINE_MONITORING}
NOT_DETECTED_BY = {"stump": IN_PLACE, "snare": IN_PLACE, "carcass": {D.MARKET_INSPECTION, D.ONLINE_MONITORING},
                   "firearm": {D.MARKET_INSPECTION, D.ONLINE_MONITORING},
                   "vehicle": {D.MARKET_INSPECTION, D.ONLINE_MONITORING, D.CAMERA_TRAP}}

# What a ranger writes, by how the incident was detected, in the language of the place's country.
DESCRIPTIONS = {
    "RU": {
        D.PATROL: ["Обнаружено в ходе планового патрулирования.",
                   "Выявлено при патрулировании участка; место происшествия сфотографировано."],
        D.CAMERA_TRAP: ["Фотоловушка зафиксировала посторонних людей на участке; проверка на месте подтвердила "
                        "нарушение."],
        D.INFORMANT: ["Сообщение местного жителя; проверка на месте подтвердила нарушение.",
                      "Анонимное сообщение по телефону доверия, нарушение подтвердилось."],
        D.CHECKPOINT: ["Выявлено при досмотре автомобиля на контрольно-пропускном пункте."],
        D.MARKET_INSPECTION: ["Выявлено при проверке рынка, продавец не смог предъявить документы."],
        D.ONLINE_MONITORING: ["В интернете обнаружено объявление о продаже; продавец установлен."],
        D.OTHER: ["Материалы переданы полицией."],
    },
    "CN": {
        D.PATROL: ["巡护中发现。", "例行巡护时发现，已拍照取证。"],
        D.CAMERA_TRAP: ["红外相机拍到可疑人员，现场核查确认违法行为。"],
        D.INFORMANT: ["群众举报，现场核查属实。", "接到匿名举报电话，经核实属实。"],
        D.CHECKPOINT: ["检查站对过往车辆检查时查获。"],
        D.MARKET_INSPECTION: ["市场检查时查获，摊主无法出示合法来源证明。"],
        D.ONLINE_MONITORING: ["网络巡查发现出售信息，已锁定卖家。"],
        D.OTHER: ["公安机关移交。"],
    },
    "MN": {
        D.PATROL: ["Төлөвлөгөөт эргүүлийн үеэр илрүүлсэн.",
                   "Эргүүлийн үеэр илрүүлж, хэргийн газрыг гэрэл зургаар баримтжуулсан."],
        D.CAMERA_TRAP: ["Фото хавхад танихгүй хүмүүс бичигдсэн; газар дээр нь шалгахад зөрчил батлагдсан."],
        D.INFORMANT: ["Нутгийн иргэний мэдээллээр илрүүлсэн; газар дээр нь шалгахад зөрчил батлагдсан."],
        D.CHECKPOINT: ["Шалган нэвтрүүлэх цэгт тээврийн хэрэгсэлд үзлэг хийх үед илэрсэн."],
        D.MARKET_INSPECTION: ["Захын шалгалтын үеэр илэрсэн; худалдагч гарал үүслийн бичиг баримт үзүүлж "
                              "чадаагүй."],
        D.ONLINE_MONITORING: ["Цахим сүлжээнд худалдах зар илэрсэн; худалдагчийг тогтоосон."],
        D.OTHER: ["Цагдаагийн байгууллагаас шилжүүлсэн."],
    },
}
REJECTION_REASONS = {"RU": "Повторное сообщение об уже зарегистрированном инциденте.",
                     "CN": "重复报告，该事件已登记。",
                     "MN": "Өмнө бүртгэгдсэн зөрчлийн давхардсан мэдээлэл."}
CURRENCIES = {"RU": "RUB", "CN": "CNY", "MN": "MNT"}
